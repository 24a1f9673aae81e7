#!/usr/bin/env bash
# Synthetic patient visits and payments for the compose demo profile, in the shape policies/demo.yaml expects,
# written to demo.visits and demo.payments with Kafka's console producer. Made-up data only.
# Environment: BOOTSTRAP_SERVERS (default kafka:9092), RATE events per second per topic (default 20).
set -euo pipefail
bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
rate="${RATE:-20}"
producer=/opt/kafka/bin/kafka-console-producer.sh
tenants=(clinic-a clinic-b)
regions=(eu us)
departments=(cardiology oncology emergency pediatrics)
diagnoses=(J45 E11 I10 M54 F32 K21)

pick() { local -n values=$1; printf '%s' "${values[RANDOM % ${#values[@]}]}"; }
patient() { printf 'P-%d' $((1000 + RANDOM % 500)); }

visits() {
  local n=0
  while true; do
    for ((i = 0; i < rate; i++)); do
      n=$((n + 1))
      printf '{"eventId":"V-%d","type":"visit","tenant":"%s","region":"%s","patient":{"id":"%s","name":"Test Patient","ssn":"000-00-%04d","birthDate":"19%02d-01-01","age":%d,"zip":"%05d"},"visit":{"at":"%s","department":"%s","diagnosis":"%s","cost":%d.%02d,"notes":"synthetic"}}\n' \
        "$n" "$(pick tenants)" "$(pick regions)" "$(patient)" $((RANDOM % 10000)) $((40 + RANDOM % 60)) $((18 + RANDOM % 80)) \
        $((RANDOM % 100000)) "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(pick departments)" "$(pick diagnoses)" $((RANDOM % 5000)) $((RANDOM % 100))
    done
    sleep 1
  done
}

payments() {
  local n=0
  while true; do
    for ((i = 0; i < rate; i++)); do
      n=$((n + 1))
      printf '{"eventId":"P-%d","type":"payment","tenant":"%s","region":"%s","patient":{"id":"%s"},"payment":{"cardNumber":"4111%012d","cardHolder":"Test Patient","amount":%d.%02d,"currency":"EUR","at":"%s"}}\n' \
        "$n" "$(pick tenants)" "$(pick regions)" "$(patient)" $((RANDOM * RANDOM)) $((RANDOM % 1000)) $((RANDOM % 100)) "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    done
    sleep 1
  done
}

visits | "$producer" --bootstrap-server "$bootstrap" --topic demo.visits &
payments | "$producer" --bootstrap-server "$bootstrap" --topic demo.payments &
wait -n
