# syntax=docker/dockerfile:1
# StreamMasking service image: SDK build stage, then the ASP.NET runtime (the service hosts Kestrel for /metrics,
# /healthz, /readyz and /privacy). Runs as the runtime image's non-root "app" user (UID/GID 1654) with a read-only
# root filesystem: the only writable paths are the state volume and /tmp (mount a tmpfs or emptyDir there).
#
#   docker build -t streammasking .
#   docker run --read-only --tmpfs /tmp -v sm-state:/var/lib/streammasking/state ... streammasking run
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project file or the central package versions change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Directory.Build.props src/BannedSymbols.txt src/
COPY src/StreamMasking.Broker/StreamMasking.Broker.csproj src/StreamMasking.Broker/
COPY src/StreamMasking.Core/StreamMasking.Core.csproj src/StreamMasking.Core/
COPY src/StreamMasking.Privacy/StreamMasking.Privacy.csproj src/StreamMasking.Privacy/
COPY src/StreamMasking.Runtime/StreamMasking.Runtime.csproj src/StreamMasking.Runtime/
COPY src/StreamMasking.Host/StreamMasking.Host.csproj src/StreamMasking.Host/
RUN dotnet restore src/StreamMasking.Host/StreamMasking.Host.csproj -r linux-x64
COPY src/ src/
# The runtime embeds the aggregates and audit topics' Avro schemas from schemas/; the demo ships the samples.
COPY schemas/ schemas/
COPY policies/ policies/
RUN dotnet publish src/StreamMasking.Host/StreamMasking.Host.csproj -c Release -r linux-x64 --self-contained false \
      --no-restore -p:UseAppHost=false -o /app \
 && mkdir -p /state

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# DOTNET_EnableDiagnostics=0: no diagnostic IPC socket or perf map in /tmp (and none to attach to in production).
# The image binds the HTTP port on all interfaces; a workstation run keeps the default loopback.
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_NOLOGO=1 \
    STREAMMASKING__HTTP__BINDADDRESS=0.0.0.0 \
    STREAMMASKING__HTTP__PORT=9464 \
    STREAMMASKING__STATE__DIRECTORY=/var/lib/streammasking/state
WORKDIR /app
COPY --from=build /app ./
# Owned by the runtime user, so a fresh named volume mounted here is writable for it.
COPY --from=build --chown=1654:1654 /state /var/lib/streammasking/state
USER 1654:1654
VOLUME ["/var/lib/streammasking/state"]
EXPOSE 9464
# No curl or wget in the runtime image: the binary's own `healthcheck` subcommand GETs /healthz on loopback and
# exits 0 (healthy) or 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["dotnet", "/app/streammasking.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/streammasking.dll"]
CMD ["run"]
