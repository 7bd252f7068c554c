#!/usr/bin/env bash
# Lints and renders the Bridge chart exactly as the build does (helm/pom.xml runs this script):
#   helm lint --strict (chart and subcharts) and helm template, for the default values and for every
#   file in bridge/ci/. Rendered manifests land in target/rendered/<values name>.yaml, where the JUnit
#   rules (src/test/java) read them.
# Usage: helm/scripts/verify-chart.sh            (HELM=/path/to/helm to use another helm binary)
set -euo pipefail
cd "$(dirname "$0")/.."
helm_bin="${HELM:-target/helm-bin/helm/helm}"
if [ ! -x "$helm_bin" ]; then
  echo "no helm at $helm_bin: run './mvnw -f helm/pom.xml generate-resources' (or set HELM=...)" >&2
  exit 1
fi
# keep helm's caches and config inside target/, away from the user's ~/.config/helm
export HELM_CACHE_HOME="$PWD/target/helm-home/cache" HELM_CONFIG_HOME="$PWD/target/helm-home/config" HELM_DATA_HOME="$PWD/target/helm-home/data"
release="${RELEASE:-bridge}"
namespace="${NAMESPACE:-bridge}"
out=target/rendered
rm -rf "$out"
mkdir -p "$out"

render() {
  local name="$1"; shift
  echo "== $name: helm lint --strict, helm template"
  "$helm_bin" lint --strict --quiet bridge --namespace "$namespace" "$@"
  "$helm_bin" template "$release" bridge --namespace "$namespace" "$@" > "$out/$name.yaml"
  echo "   $(grep -c '^kind:' "$out/$name.yaml") objects -> $out/$name.yaml"
}

"$helm_bin" version --short
echo "== subcharts: helm lint --strict"
"$helm_bin" lint --strict --quiet bridge/charts/grpc-service
"$helm_bin" lint --strict --quiet bridge/charts/mongodb
"$helm_bin" lint --strict --quiet bridge/charts/keycloak --set hostname=https://id.bridge.example.org
render default
count=0
for values in bridge/ci/*-values.yaml; do
  render "$(basename "$values" .yaml)" --values "$values"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "no values files in bridge/ci/" >&2; exit 1; }
echo "rendered default values and $count ci values files"
