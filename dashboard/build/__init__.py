"""The story builder: articles in, a draft story out, with the mechanical part of the coding suggested.

The data layer of "Build a story" and of ``python -m dashboard.build``: reading articles
(``extract``), the draft's models (``draft``), the suggestions and their rules (``suggest``,
``attribution``, ``dates``, ``lexicon``, ``rules``) and the draft's story file with its checks
(``story``). No Streamlit and no Plotly here.
"""
