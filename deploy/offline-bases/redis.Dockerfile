# Redis for air-gapped hosts: Debian's redis-server on the offline base. Hosts with a registry
# use the public redis image instead (REDIS_IMAGE in docker-compose.yml).
ARG BASE_IMAGE=lambdock/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
