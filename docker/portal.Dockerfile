# Image for the portal's web server, Celery worker and the AWS emulator (docker-compose.yml).
FROM python:3.11-slim-bookworm

ARG TERRAFORM_VERSION=1.11.4
# Terraform from HashiCorp's release archive, checked against its published SHA-256 sums.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip git \
    && curl -fsSLo /tmp/tf.zip "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip" \
    && curl -fsSLo /tmp/tf.sums "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_SHA256SUMS" \
    && cd /tmp && grep "linux_amd64.zip" tf.sums | sed "s/terraform_.*_linux_amd64.zip/tf.zip/" | sha256sum -c - \
    && unzip -q /tmp/tf.zip -d /usr/local/bin && rm -f /tmp/tf.zip /tmp/tf.sums \
    && apt-get purge -y curl unzip && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 portal
WORKDIR /srv/portal
COPY pyproject.toml README.md ./
COPY app ./app
COPY portal ./portal
COPY worker ./worker
COPY emulator ./emulator
# The runtime and the emulator only: the test tools (pytest, Playwright, linters) stay out.
RUN pip install --no-cache-dir ".[emulator]"
COPY migrations ./migrations
COPY alembic.ini ./
COPY terraform ./terraform
COPY assets ./assets

ENV PYTHONUNBUFFERED=1 \
    PORTAL_DATA_DIR=/var/lib/portal \
    PORTAL_SOURCE_DIR=/srv/portal
RUN mkdir -p /var/lib/portal && chown portal /var/lib/portal
USER portal
EXPOSE 8000
CMD ["gunicorn", "--worker-class", "gthread", "--threads", "32", "--bind", "0.0.0.0:8000", "app:create_app()"]
