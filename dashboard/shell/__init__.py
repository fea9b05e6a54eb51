"""The Streamlit pieces every page shares: loading, links, the presenter bar, prompts, handouts, widgets."""
