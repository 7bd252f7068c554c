{{/*
grpc-service: the one template every Bridge workload is rendered from.

Call it with a dict:
  root    the umbrella chart's context ($)
  name    workload name: gateway | people-directory | consent | referrals | housing-liaison | benefits-liaison
  kind    "grpc" — a service: gRPC (and the standard gRPC health service) on 9090, Prometheus on 9464 /metrics
          "http" — the gateway: HTTP on 8080, Actuator probes and /actuator/prometheus on the same port
  config  the workload's values: the umbrella's `defaults` merged with its own overrides
  env     list of environment variables wiring this workload to the others (issuer, targets, database)

Security is not configurable here on purpose: every Bridge container runs as uid 10001, non-root, with a
read-only root filesystem, no privilege escalation, no capabilities and the RuntimeDefault seccomp
profile; /tmp is an emptyDir (Spring Boot writes there). The chart's tests check these rules.
*/}}

{{- define "grpc-service.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "grpc-service.component" -}}
{{- if eq .kind "http" -}}gateway{{- else -}}grpc-service{{- end -}}
{{- end -}}

{{- define "grpc-service.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "grpc-service.labels" -}}
{{ include "grpc-service.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ include "grpc-service.component" . }}
app.kubernetes.io/part-of: bridge
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "grpc-service.image" -}}
{{- $img := .config.image -}}
{{- $repo := $img.repository | default (printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) .name) -}}
{{- $tag := $img.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{- define "grpc-service.all" -}}
{{ include "grpc-service.serviceaccount" . }}
---
{{ include "grpc-service.service" . }}
---
{{ include "grpc-service.deployment" . }}
{{- if .config.autoscaling.enabled }}
---
{{ include "grpc-service.hpa" . }}
{{- end }}
{{- if .config.podDisruptionBudget.enabled }}
---
{{ include "grpc-service.pdb" . }}
{{- end }}
{{- end -}}

{{- define "grpc-service.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "grpc-service.fullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "grpc-service.labels" . | nindent 4 }}
  {{- with .config.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}

{{- define "grpc-service.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "grpc-service.fullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "grpc-service.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "grpc-service.selectorLabels" . | nindent 4 }}
  ports:
    {{- if eq .kind "http" }}
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
      appProtocol: http
    {{- else }}
    - name: grpc
      port: 9090
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    - name: metrics
      port: 9464
      targetPort: metrics
      protocol: TCP
      appProtocol: http
    {{- end }}
{{- end -}}

{{- define "grpc-service.probes" -}}
{{- $p := .config.probes -}}
{{- if eq .kind "http" }}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: http}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
{{- else }}
startupProbe:
  grpc: {port: 9090, service: {{ $p.liveness.grpcService | quote }}}
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
livenessProbe:
  grpc: {port: 9090, service: {{ $p.liveness.grpcService | quote }}}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
readinessProbe:
  grpc: {port: 9090, service: {{ $p.readiness.grpcService | quote }}}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
{{- end }}
{{- end -}}

{{- define "grpc-service.deployment" -}}
{{- $c := .config -}}
{{- $portVar := printf "BRIDGE_%s_GRPC_PORT" (.name | upper | replace "-" "_") -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "grpc-service.fullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "grpc-service.labels" . | nindent 4 }}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "grpc-service.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "grpc-service.labels" . | nindent 8 }}
      {{- with $c.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "grpc-service.fullname" . }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      {{- with $c.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with .root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {{ $c.topologySpread.acrossZones }}
          labelSelector:
            matchLabels:
              {{- include "grpc-service.selectorLabels" . | nindent 14 }}
          matchLabelKeys: [pod-template-hash]
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: {{ $c.topologySpread.acrossNodes }}
          labelSelector:
            matchLabels:
              {{- include "grpc-service.selectorLabels" . | nindent 14 }}
          matchLabelKeys: [pod-template-hash]
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "grpc-service.image" . | quote }}
          imagePullPolicy: {{ $c.image.pullPolicy | default .root.Values.image.pullPolicy }}
          ports:
            {{- if eq .kind "http" }}
            - name: http
              containerPort: 8080
              protocol: TCP
            {{- else }}
            - name: grpc
              containerPort: 9090
              protocol: TCP
            - name: metrics
              containerPort: 9464
              protocol: TCP
            {{- end }}
          env:
            {{- if eq .kind "http" }}
            - name: BRIDGE_GATEWAY_HOST
              value: "0.0.0.0"
            - name: BRIDGE_GATEWAY_PORT
              value: "8080"
            {{- else }}
            - name: BRIDGE_GRPC_HOST
              value: "0.0.0.0"
            - name: {{ $portVar }}
              value: "9090"
            - name: BRIDGE_METRICS_PORT
              value: "9464"
            {{- end }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ $c.javaToolOptions | quote }}
            {{- with .env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $c.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- include "grpc-service.probes" . | trim | nindent 10 }}
          lifecycle:
            preStop:
              # let endpoints and load balancers drop this pod before the server stops accepting calls
              exec:
                command: ["sleep", "5"]
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            runAsGroup: 10001
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            privileged: false
            capabilities:
              drop: [ALL]
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $c.tmpSizeLimit }}
{{- end -}}

{{- define "grpc-service.hpa" -}}
{{- $a := .config.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "grpc-service.fullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "grpc-service.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "grpc-service.fullname" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
  behavior:
    scaleUp:
      # a JVM burns CPU while it warms up: do not chase the first minute of a new pod
      stabilizationWindowSeconds: 60
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end -}}

{{- define "grpc-service.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "grpc-service.fullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "grpc-service.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .config.podDisruptionBudget.maxUnavailable }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "grpc-service.selectorLabels" . | nindent 6 }}
{{- end -}}
