{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "streammasking.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: the release name, prefixed to the chart name unless it already contains it. */}}
{{- define "streammasking.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "streammasking.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streammasking.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "streammasking.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "streammasking.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "streammasking.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "streammasking.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "streammasking.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Fails the render, naming every missing required value (fail closed: no half-configured workload). */}}
{{- define "streammasking.validate" -}}
{{- $missing := list -}}
{{- if not .Values.kafka.bootstrapServers -}}{{- $missing = append $missing "kafka.bootstrapServers" -}}{{- end -}}
{{- if not .Values.pipeline.inputTopics -}}{{- $missing = append $missing "pipeline.inputTopics" -}}{{- end -}}
{{- if not .Values.policy.content -}}{{- $missing = append $missing "policy.content (--set-file policy.content=policy.yaml)" -}}{{- end -}}
{{- if not .Values.masterSecret.existingSecret -}}{{- $missing = append $missing "masterSecret.existingSecret" -}}{{- end -}}
{{- if and .Values.kafka.sasl.enabled (not .Values.kafka.sasl.existingSecret) -}}{{- $missing = append $missing "kafka.sasl.existingSecret" -}}{{- end -}}
{{- if and .Values.kafka.tls.enabled (not .Values.kafka.tls.existingSecret) -}}{{- $missing = append $missing "kafka.tls.existingSecret" -}}{{- end -}}
{{- if and .Values.keda.enabled (not .Values.keda.prometheus.serverAddress) -}}{{- $missing = append $missing "keda.prometheus.serverAddress" -}}{{- end -}}
{{- $registry := .Values.schemaRegistry -}}
{{- $needsRegistry := or (eq (.Values.aggregates.format | default "json") "avro") (eq (.Values.audit.format | default "json") "avro") -}}
{{- range $topic, $format := .Values.pipeline.inputFormats -}}{{- if eq $format "avro-confluent" -}}{{- $needsRegistry = true -}}{{- end -}}{{- end -}}
{{- if and $needsRegistry (not $registry.url) -}}{{- $missing = append $missing "schemaRegistry.url (an avro-confluent input or an Avro output needs a registry)" -}}{{- end -}}
{{- $needsLocal := false -}}
{{- range $topic, $format := .Values.pipeline.inputFormats -}}{{- if eq $format "avro-single-object" -}}{{- $needsLocal = true -}}{{- end -}}{{- end -}}
{{- if and $needsLocal (not $registry.localSchemas.existingConfigMap) -}}{{- $missing = append $missing "schemaRegistry.localSchemas.existingConfigMap (an avro-single-object input needs its writer schemas)" -}}{{- end -}}
{{- if and (ne ($registry.auth.type | default "none") "none") (not (and $registry.auth.existingSecret $registry.auth.key)) -}}{{- $missing = append $missing "schemaRegistry.auth.existingSecret and schemaRegistry.auth.key" -}}{{- end -}}
{{- range $topic, $format := .Values.pipeline.inputFormats -}}{{- if not (has $topic $.Values.pipeline.inputTopics) -}}{{- fail (printf "streammasking: pipeline.inputFormats names %s, which is not in pipeline.inputTopics" $topic) -}}{{- end -}}{{- end -}}
{{- if $missing -}}
{{- fail (printf "streammasking: missing required values: %s" (join ", " $missing)) -}}
{{- end -}}
{{- if and .Values.kafka.tls.certificateKey (not .Values.kafka.tls.keyKey) -}}
{{- fail "streammasking: kafka.tls.certificateKey needs kafka.tls.keyKey (client certificate and key come together)" -}}
{{- end -}}
{{- end -}}

{{/* Paths inside the container. */}}
{{- define "streammasking.paths.state" -}}/var/lib/streammasking/state{{- end -}}
{{- define "streammasking.paths.policy" -}}/etc/streammasking/policy{{- end -}}
{{- define "streammasking.paths.secret" -}}/etc/streammasking/secrets{{- end -}}
{{- define "streammasking.paths.tls" -}}/etc/streammasking/kafka-tls{{- end -}}
{{- define "streammasking.paths.registryTls" -}}/etc/streammasking/registry-tls{{- end -}}
{{- define "streammasking.paths.schemas" -}}/etc/streammasking/schemas{{- end -}}

{{/* A librdkafka property as a StreamMasking environment variable: dots become underscores, upper case. */}}
{{- define "streammasking.kafkaPropertyEnv" -}}
{{- printf "STREAMMASKING__KAFKA__PROPERTIES__%s" (. | replace "." "_" | upper) -}}
{{- end -}}
