# The app image. The same image runs the Streamlit app and, with another command, the workers.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # hnswlib compiles from source; -march=native would tie the image to the build machine's CPU.
    HNSWLIB_NO_NATIVE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    APP_ENV=production \
    RUNTIME_DIR=/var/lib/companion \
    # Everything the app and its libraries write goes to these folders; Kubernetes mounts
    # emptyDir volumes there (deploy/k8s), since the root filesystem is read-only.
    HOME=/home/companion \
    XDG_CACHE_HOME=/home/companion/.cache \
    HF_HOME=/home/companion/.cache/huggingface \
    TORCH_HOME=/home/companion/.cache/torch \
    MPLCONFIGDIR=/home/companion/.cache/matplotlib

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install torch==2.13.0 \
 && pip install -r requirements.txt \
 && apt-get purge -y build-essential && apt-get autoremove -y

COPY . .
# uid and gid 10001: deploy/k8s runs as exactly this user (runAsUser, fsGroup).
RUN groupadd --system --gid 10001 companion \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/companion companion \
 && mkdir -p /var/lib/companion && chown companion:companion /var/lib/companion
USER 10001:10001

EXPOSE 8501
# Liveness only (the server answers, even with the database down); readiness is
# `python -m core.health ready` (see deploy/k8s/app.yaml).
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
# Migrations run as a separate step (deploy/k8s/migrate-job.yaml), not on every replica start.
CMD ["streamlit", "run", "Home.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
