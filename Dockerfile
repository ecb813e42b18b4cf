# twinport in a container: TwinMaker, SiteWise and S3 on port 4777, state in the volume /data.
#
#   docker build -t twinport .
#   docker run --rm -p 4777:4777 -v twinport-data:/data twinport
#
# Arguments after the image name are added to `twinport serve`, e.g. `... twinport --auth verify`.
# tests/experience/test_packaging.py builds the wheel from what the build stage copies and runs
# the ENTRYPOINT, CMD and HEALTHCHECK below from a fresh install of it.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
# With the PostgreSQL driver: the same image serves alone or as a node of a shared database.
RUN pip install --no-cache-dir "$(ls /wheels/*.whl)[postgres]" && rm -rf /wheels
# A fixed uid, so a bind-mounted data directory can be given to it (chown 10001).
RUN useradd --system --uid 10001 --no-create-home --home-dir /data twinport \
    && mkdir /data && chown twinport /data
USER twinport
WORKDIR /data
VOLUME /data
EXPOSE 4777
# The slim image has no curl. TWINPORT_PORT, when set, moves the server and its check alike.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_twinport/health' % os.environ.get('TWINPORT_PORT', '4777'), timeout=2)"]
ENTRYPOINT ["twinport", "serve", "--host", "0.0.0.0", "--data-dir", "/data"]
