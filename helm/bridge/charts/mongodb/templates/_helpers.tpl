{{- define "mongodb.fullname" -}}
{{- printf "%s-mongodb" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mongodb.headless" -}}
{{- printf "%s-mongodb-headless" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mongodb.secretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-mongodb-auth" .Release.Name) -}}
{{- end -}}

{{- define "mongodb.selectorLabels" -}}
app.kubernetes.io/name: mongodb
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mongodb.labels" -}}
{{ include "mongodb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: database
app.kubernetes.io/part-of: bridge
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "mongodb.members" -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.replicas) -}}
{{- $hosts = append $hosts (printf "%s-%d.%s.%s.svc.cluster.local:27017" (include "mongodb.fullname" $) $i (include "mongodb.headless" $) $.Release.Namespace) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{- define "mongodb.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 999
runAsGroup: 999
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
