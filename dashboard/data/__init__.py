"""The data layer: reading, checking and framing a dataset. Knows nothing of views, Streamlit or Plotly."""
