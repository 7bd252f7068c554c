{{/* The five services, in one place. Their database names are fixed by the applications. */}}
{{- define "bridge.serviceNames" -}}
people-directory consent referrals housing-liaison benefits-liaison
{{- end -}}

{{- define "bridge.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The gRPC target of one service, "<service name>:9090" (the form of every *_TARGET variable): dict root, name. */}}
{{- define "bridge.grpcTarget" -}}
{{- printf "%s:9090" (include "bridge.fullname" .) -}}
{{- end -}}

{{/* The services that call people-directory over gRPC (may the calling agency see this person at all?). */}}
{{- define "bridge.peopleDirectoryCallers" -}}
consent referrals housing-liaison benefits-liaison
{{- end -}}

{{/*
  The services one service calls over gRPC, space-separated (may be empty): dict root, name.
  Every service but consent calls consent (a decision before it returns another agency's data);
  the people-directory callers call people-directory; referrals hands duty-to-refer and release →
  benefits referrals over to housing-liaison and benefits-liaison. The env (BRIDGE_<CALLEE>_TARGET) and the
  NetworkPolicies (egress of the caller, ingress of the callee) are both rendered from this.
*/}}
{{- define "bridge.grpcCallees" -}}
{{- $callees := list -}}
{{- if ne .name "consent" -}}{{- $callees = append $callees "consent" -}}{{- end -}}
{{- if has .name (splitList " " (include "bridge.peopleDirectoryCallers" .root)) -}}{{- $callees = append $callees "people-directory" -}}{{- end -}}
{{- if eq .name "referrals" -}}{{- $callees = concat $callees (list "housing-liaison" "benefits-liaison") -}}{{- end -}}
{{- join " " $callees -}}
{{- end -}}

{{/* Labels of release-level objects: dict root, name, component. */}}
{{- define "bridge.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: bridge
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Pods of one component of this release: dict root, name. */}}
{{- define "bridge.podSelector" -}}
matchLabels:
  app.kubernetes.io/name: {{ .name }}
  app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A workload's configuration: `defaults` overlaid with its own keys. dict root, name. Returns YAML. */}}
{{- define "bridge.workloadConfig" -}}
{{- $own := dict -}}
{{- if eq .name "gateway" -}}
{{- $own = omit .root.Values.gateway "ingress" -}}
{{- else -}}
{{- $own = index .root.Values.services .name | default dict -}}
{{- end -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{/* ---- identity (Keycloak) ---- */}}

{{- define "bridge.keycloak.serviceName" -}}
{{- printf "%s-keycloak" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bridge.issuerEnv" -}}
- name: BRIDGE_ISSUER
{{- if .Values.identity.issuer }}
  value: {{ .Values.identity.issuer | quote }}
{{- else if .Values.keycloak.enabled }}
  value: {{ printf "%s/realms/%s" (required "keycloak.hostname is required with the bundled Keycloak (its public URL, e.g. https://id.bridge.example.org)" .Values.keycloak.hostname | trimSuffix "/") .Values.keycloak.realm | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ required "identity.existingSecret (or identity.issuer) is required" .Values.identity.existingSecret }}
      key: {{ .Values.identity.issuerKey }}
{{- end }}
{{- end -}}

{{- define "bridge.jwkSetUri" -}}
{{- if .Values.identity.jwkSetUri -}}
{{- .Values.identity.jwkSetUri -}}
{{- else if .Values.keycloak.enabled -}}
{{- printf "http://%s:8080/realms/%s/protocol/openid-connect/certs" (include "bridge.keycloak.serviceName" .) .Values.keycloak.realm -}}
{{- end -}}
{{- end -}}

{{/* ---- MongoDB ---- */}}

{{- define "bridge.mongodb.secretName" -}}
{{- .Values.mongodb.auth.existingSecret | default (printf "%s-mongodb-auth" .Release.Name) -}}
{{- end -}}

{{- define "bridge.mongodb.hosts" -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.mongodb.replicas) -}}
{{- $hosts = append $hosts (printf "%s-mongodb-%d.%s-mongodb-headless.%s.svc.cluster.local:27017" $.Release.Name $i $.Release.Name $.Release.Namespace) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/* BRIDGE_MONGODB_URI of one service: dict root, name, config. */}}
{{- define "bridge.mongodbEnv" -}}
{{- $root := .root -}}
{{- if $root.Values.mongodb.enabled }}
{{- $options := "w=majority&journal=true" -}}
{{- if eq .name "consent" }}{{ $options = "w=majority&journal=true&readConcernLevel=majority" }}{{ end }}
- name: BRIDGE_MONGODB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bridge.mongodb.secretName" $root }}
      key: {{ printf "%s-password" .name }}
- name: BRIDGE_MONGODB_URI
  value: {{ printf "mongodb://%s:$(BRIDGE_MONGODB_PASSWORD)@%s/%s?replicaSet=%s&authSource=%s&%s" .name (include "bridge.mongodb.hosts" $root) .name $root.Values.mongodb.replicaSetName .name $options | quote }}
{{- else }}
{{- $db := .config.database | default dict }}
- name: BRIDGE_MONGODB_URI
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret | default $root.Values.database.existingSecret | required "database.existingSecret is required (or mongodb.enabled=true)" }}
      key: {{ $db.uriKey | default (printf "%s%s" .name $root.Values.database.uriKeySuffix) }}
{{- end }}
{{- end -}}

{{/* Wiring of one service: dict root, name, config. */}}
{{- define "bridge.serviceEnv" -}}
{{- $root := .root -}}
{{ include "bridge.issuerEnv" $root }}
{{- with include "bridge.jwkSetUri" $root }}
- name: BRIDGE_SECURITY_JWKSETURI
  value: {{ . | quote }}
{{- end }}
{{ include "bridge.mongodbEnv" . }}
{{- if and (eq .name "consent") $root.Values.agencies }}
- name: SPRING_APPLICATION_JSON
  value: {{ dict "bridge" (dict "consent" (dict "agencies" $root.Values.agencies)) | toJson | quote }}
{{- end }}
{{- range $callee := include "bridge.grpcCallees" . | splitList " " | compact }}
- name: {{ printf "BRIDGE_%s_TARGET" ($callee | upper | replace "-" "_") }}
  value: {{ include "bridge.grpcTarget" (dict "root" $root "name" $callee) | quote }}
{{- end }}
{{- if and (eq .name "housing-liaison") $root.Values.partners.housing.url }}
- name: BRIDGE_PARTNERS_HOUSING_URL
  value: {{ $root.Values.partners.housing.url | quote }}
{{- end }}
{{- if and (eq .name "benefits-liaison") $root.Values.partners.dwp.url }}
- name: BRIDGE_PARTNERS_DWP_URL
  value: {{ $root.Values.partners.dwp.url | quote }}
{{- end }}
{{- end -}}

{{/* Wiring of the gateway: the root context. */}}
{{- define "bridge.gatewayEnv" -}}
{{ include "bridge.issuerEnv" . }}
{{- with include "bridge.jwkSetUri" . }}
- name: BRIDGE_GATEWAY_JWKSETURI
  value: {{ . | quote }}
{{- end }}
{{- range $name := splitList " " (include "bridge.serviceNames" .) }}
- name: {{ printf "BRIDGE_%s_TARGET" ($name | upper | replace "-" "_") }}
  value: {{ include "bridge.grpcTarget" (dict "root" $ "name" $name) | quote }}
{{- end }}
{{- end -}}

{{/* Egress to Keycloak for the signing keys: the bundled pods, or the external CIDRs. Root context. */}}
{{- define "bridge.keycloakEgress" -}}
{{- if .Values.keycloak.enabled }}
- to:
    - podSelector:
        {{- include "bridge.podSelector" (dict "root" . "name" "keycloak") | nindent 8 }}
  ports:
    - {port: http, protocol: TCP}
{{- else if .Values.networkPolicy.externalKeycloak.cidrs }}
- to:
    {{- range .Values.networkPolicy.externalKeycloak.cidrs }}
    - ipBlock: {cidr: {{ . | quote }}}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.externalKeycloak.ports }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
{{- end }}
{{- end -}}
