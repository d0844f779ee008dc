# The image compose.yaml builds for migrate, web and worker.
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -e . \
    && pybabel compile -d webapp/translations -f
ENV PYTHONUNBUFFERED=1
USER nobody
