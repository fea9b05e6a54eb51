# Negotiating Table: one container, one Streamlit server. docs/deploy.md explains the choices.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The same pinned file the hosting platform reads, so every deployment runs the tested versions.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY .streamlit/ .streamlit/
COPY dashboard/ dashboard/
COPY data/ data/
COPY docs/ docs/

RUN useradd --create-home --uid 10001 app
USER app

EXPOSE 8501
# Streamlit answers "ok" here once it can serve sessions.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"

CMD ["python", "-m", "streamlit", "run", "dashboard/app.py", "--server.port=8501", "--server.address=0.0.0.0"]
