# The SlaGrains server (an Orleans silo co-hosting the web app) as a container image; docker-compose.yml runs three
# of them on one PostgreSQL. Build from the repository root: docker build -t slagrains-server .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/BannedSymbols.txt src/
COPY src/SlaGrains.Domain/SlaGrains.Domain.csproj src/SlaGrains.Domain/
COPY src/SlaGrains.Contracts/SlaGrains.Contracts.csproj src/SlaGrains.Contracts/
COPY src/SlaGrains.Grains/SlaGrains.Grains.csproj src/SlaGrains.Grains/
COPY src/SlaGrains.Storage/SlaGrains.Storage.csproj src/SlaGrains.Storage/
COPY src/SlaGrains.Application/SlaGrains.Application.csproj src/SlaGrains.Application/
COPY src/SlaGrains.Server/SlaGrains.Server.csproj src/SlaGrains.Server/
COPY ui/SlaGrains.Ui/SlaGrains.Ui.csproj ui/SlaGrains.Ui/
RUN dotnet restore src/SlaGrains.Server/SlaGrains.Server.csproj
COPY src/ src/
COPY ui/ ui/
RUN dotnet publish src/SlaGrains.Server/SlaGrains.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# PDF reports are drawn in Liberation Sans from Debian's fonts-liberation (see src/SlaGrains.Server/Reports/ReportFonts.cs).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-liberation && rm -rf /var/lib/apt/lists/*
COPY --from=build /app .
# The image listens on 8080 (ASPNETCORE_HTTP_PORTS, set by the base image); Orleans' silo and gateway ports are the
# server's defaults. The base image's non-root user runs it.
EXPOSE 8080 11111 30000
USER app
ENTRYPOINT ["dotnet", "SlaGrains.Server.dll"]
