#!/usr/bin/env bash
# Onboards a partner agency into Bridge's Keycloak realm through the admin REST API (curl + jq; no kcadm).
# Idempotent: run it again with more --user options to add people; existing objects are left as they are
# (attributes and memberships are re-asserted).
#
#   1. the agency's organisation (alias = agency_id, attribute agency_type, optional e-mail domain);
#   2. its users: attributes agency_id / agency_type, realm role worker or manager, organisation membership,
#      a temporary password (written to the credentials file) or an invitation e-mail;
#   3. its integrator client "<alias>-integrator" (client credentials only, default scopes incl. bridge-agency),
#      whose service-account user carries the same attributes and membership; its secret goes to a file;
#   4. a check: a client-credentials token for the integrator carries agency_id, agency_type and audience
#      bridge-api, and (with --gateway-url) the gateway accepts it.
# Then add the agency to the chart's `agencies` values (the consent service's list of recipients) and upgrade.
# Consent is the person's, not the platform's: no consent is created here (docs/operations.md#onboarding-a-new-agency).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: onboard-agency.sh --alias ALIAS --type TYPE --name "DISPLAY NAME" \
         --keycloak-url URL --admin-user USER (--admin-password-file FILE | env KEYCLOAK_ADMIN_PASSWORD) [options]

Required:
  --alias ALIAS              agency id, lower-case words joined by '-' (e.g. leeds-hostels); becomes agency_id
  --type TYPE                POLICE PROBATION PRISON COURT HOUSING HEALTH TREATMENT BENEFITS PEER_SUPPORT SOCIAL_CARE PLATFORM
  --name NAME                organisation display name
  --keycloak-url URL         Keycloak base URL, e.g. https://id.bridge.example.org
  --admin-user USER          admin account (in --admin-realm) allowed to manage the realm
  --admin-password-file FILE file holding that account's password (or set KEYCLOAK_ADMIN_PASSWORD)

Options:
  --realm REALM              Bridge realm (default: bridge)
  --admin-realm REALM        realm of the admin account (default: master)
  --domain DOMAIN            the agency's e-mail domain, recorded on the organisation
  --user EMAIL:ROLE[:FIRST:LAST]  a user to create; ROLE is worker or manager (repeatable)
  --users-file FILE          one EMAIL:ROLE[:FIRST:LAST] per line (# comments allowed)
  --invite                   e-mail users an invitation (needs SMTP in the realm) instead of temporary passwords
  --no-integrator            do not create the integrator client
  --out-dir DIR              where credentials and the client secret are written, mode 600
                             (default: ~/bridge-onboarding/ALIAS, outside any repository)
  --gateway-url URL          also call the gateway with the integrator's token (expects 404 for an unknown person)
  -h, --help                 this text
EOF
}

die() { echo "onboard-agency: $*" >&2; exit 1; }
log() { echo "onboard-agency: $*" >&2; }

alias_="" type_="" name_="" kc_url="" admin_user="" admin_password_file="" realm="bridge" admin_realm="master"
domain="" invite=false integrator=true out_dir="" gateway_url=""
users=()
while [ $# -gt 0 ]; do
  case "$1" in
    --alias) alias_="${2:?}"; shift 2 ;;
    --type) type_="${2:?}"; shift 2 ;;
    --name) name_="${2:?}"; shift 2 ;;
    --keycloak-url) kc_url="${2%/}"; shift 2 ;;
    --admin-user) admin_user="${2:?}"; shift 2 ;;
    --admin-password-file) admin_password_file="${2:?}"; shift 2 ;;
    --realm) realm="${2:?}"; shift 2 ;;
    --admin-realm) admin_realm="${2:?}"; shift 2 ;;
    --domain) domain="${2:?}"; shift 2 ;;
    --user) users+=("${2:?}"); shift 2 ;;
    --users-file)
      [ -r "${2:?}" ] || die "cannot read $2"
      while IFS= read -r line; do
        line="${line%%#*}"; line="$(echo "$line" | tr -d '[:space:]')"
        [ -n "$line" ] && users+=("$line")
      done < "$2"
      shift 2 ;;
    --invite) invite=true; shift ;;
    --no-integrator) integrator=false; shift ;;
    --out-dir) out_dir="${2:?}"; shift 2 ;;
    --gateway-url) gateway_url="${2%/}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[ -n "$alias_" ] && [ -n "$type_" ] && [ -n "$name_" ] && [ -n "$kc_url" ] && [ -n "$admin_user" ] \
  || { usage >&2; die "missing a required option"; }
[[ "$alias_" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] && [ "${#alias_}" -ge 2 ] && [ "${#alias_}" -le 63 ] \
  || die "alias '$alias_' must be 2-63 lower-case letters/digits in words joined by '-' (Keycloak's agency_id rule)"
case "$type_" in
  POLICE|PROBATION|PRISON|COURT|HOUSING|HEALTH|TREATMENT|BENEFITS|PEER_SUPPORT|SOCIAL_CARE|PLATFORM) ;;
  *) die "type '$type_' is not an agency type (POLICE PROBATION PRISON COURT HOUSING HEALTH TREATMENT BENEFITS PEER_SUPPORT SOCIAL_CARE PLATFORM)" ;;
esac
for u in "${users[@]+"${users[@]}"}"; do
  IFS=: read -r email role _ <<< "$u"
  [[ "$email" == *@*.* ]] || die "user '$u': the first field must be an e-mail address"
  [[ "$role" == worker || "$role" == manager ]] || die "user '$u': role must be worker or manager"
done
command -v curl >/dev/null || die "curl is required"
command -v jq >/dev/null || die "jq is required"
if [ -n "$admin_password_file" ]; then
  admin_password="$(cat "$admin_password_file")"
else
  admin_password="${KEYCLOAK_ADMIN_PASSWORD:-}"
fi
[ -n "$admin_password" ] || die "no admin password: --admin-password-file FILE or KEYCLOAK_ADMIN_PASSWORD"
out_dir="${out_dir:-$HOME/bridge-onboarding/$alias_}"
mkdir -p "$out_dir"
chmod 700 "$out_dir"

admin="$kc_url/admin/realms/$realm"
token=""
token_time=0

# An admin token, renewed before Keycloak's default 60 s admin-cli lifespan runs out.
admin_token() {
  if [ -z "$token" ] || [ $(( $(date +%s) - token_time )) -gt 45 ]; then
    token="$(curl -sS --fail-with-body "$kc_url/realms/$admin_realm/protocol/openid-connect/token" \
      --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
      --data-urlencode "username=$admin_user" --data-urlencode "password=$admin_password" | jq -r .access_token)" \
      || die "cannot log in to $kc_url as $admin_user"
    [ -n "$token" ] && [ "$token" != null ] || die "no admin token"
    token_time="$(date +%s)"
  fi
  printf '%s' "$token"
}

# api METHOD PATH [JSON]: prints the body; fails on HTTP >= 400 except 409 (already there).
api() {
  local method="$1" path="$2" body="${3:-}" response status
  local args=(-sS -X "$method" -H "Authorization: Bearer $(admin_token)" -w '\n%{http_code}')
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  response="$(curl "${args[@]}" "$admin$path")" || die "$method $path: connection failed"
  status="${response##*$'\n'}"
  response="${response%$'\n'*}"
  if [ "$status" -ge 400 ] && [ "$status" != 409 ]; then
    die "$method $path: HTTP $status $response"
  fi
  printf '%s' "$response"
}

random_password() {
  local p=""
  while [ "${#p}" -lt 24 ]; do p="$p$(head -c 64 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"; done
  printf '%s' "${p:0:24}"
}

attributes="$(jq -cn --arg id "$alias_" --arg type "$type_" '{agency_id: [$id], agency_type: [$type]}')"

# ---- 1. organisation -------------------------------------------------------------------------------
org_id="$(api GET "/organizations?briefRepresentation=false&first=0&max=10000" | jq -r --arg a "$alias_" '.[] | select(.alias == $a) | .id')"
if [ -z "$org_id" ]; then
  org="$(jq -cn --arg name "$name_" --arg alias "$alias_" --arg type "$type_" --arg domain "$domain" '{
      name: $name, alias: $alias, enabled: true, description: ($name + " (" + $type + ")"),
      attributes: {agency_type: [$type]},
      domains: (if $domain == "" then [] else [{name: $domain, verified: false}] end)}')"
  api POST /organizations "$org" >/dev/null
  org_id="$(api GET "/organizations?briefRepresentation=false&first=0&max=10000" | jq -r --arg a "$alias_" '.[] | select(.alias == $a) | .id')"
  [ -n "$org_id" ] || die "organisation $alias_ was not created"
  log "organisation $alias_ created ($org_id)"
else
  log "organisation $alias_ exists ($org_id)"
fi

# user_id USERNAME: the user's id, or empty
user_id() {
  api GET "/users?exact=true&username=$(jq -rn --arg u "$1" '$u|@uri')" | jq -r '.[0].id // empty'
}

# set_agency_attributes USER_ID: agency_id / agency_type on the user, other attributes kept
set_agency_attributes() {
  local rep
  rep="$(api GET "/users/$1" | jq -c --argjson a "$attributes" '.attributes = ((.attributes // {}) + $a)')"
  api PUT "/users/$1" "$rep" >/dev/null
}

join_organisation() {
  api POST "/organizations/$org_id/members" "\"$1\"" >/dev/null
}

# ---- 2. users --------------------------------------------------------------------------------------
credentials="$out_dir/$alias_-users.txt"
for u in "${users[@]+"${users[@]}"}"; do
  IFS=: read -r email role first last <<< "$u"
  username="$(echo "$email" | tr '[:upper:]' '[:lower:]')"
  id="$(user_id "$username")"
  if [ -z "$id" ]; then
    rep="$(jq -cn --arg u "$username" --arg f "${first:-${username%@*}}" --arg l "${last:-$name_}" --argjson a "$attributes" \
      '{username: $u, email: $u, firstName: $f, lastName: $l, enabled: true, emailVerified: false, attributes: $a}')"
    api POST /users "$rep" >/dev/null
    id="$(user_id "$username")"
    [ -n "$id" ] || die "user $username was not created"
    log "user $username created"
  else
    log "user $username exists ($id)"
  fi
  # a way in for users without one (new, or left without by an interrupted run)
  if [ "$(api GET "/users/$id/credentials" | jq 'length')" = 0 ]; then
    if [ "$invite" = true ]; then
      api PUT "/users/$id/execute-actions-email?lifespan=604800" '["UPDATE_PASSWORD","VERIFY_EMAIL"]' >/dev/null
      log "user $username: invitation e-mailed"
    else
      password="$(random_password)"
      api PUT "/users/$id/reset-password" "$(jq -cn --arg p "$password" '{type: "password", value: $p, temporary: true}')" >/dev/null
      (umask 077; printf '%s\t%s\t(temporary: changed at first login)\n' "$username" "$password" >> "$credentials")
      log "user $username: temporary password in $credentials"
    fi
  fi
  set_agency_attributes "$id"
  roles="$(api GET /roles/worker | jq -c '[.]')"
  if [ "$role" = manager ]; then
    roles="$(jq -cn --argjson w "$roles" --argjson m "$(api GET /roles/manager)" '$w + [$m]')"
  fi
  api POST "/users/$id/role-mappings/realm" "$roles" >/dev/null
  join_organisation "$id"
done

# ---- 3. integrator client ----------------------------------------------------------------------------
if [ "$integrator" = true ]; then
  client_id="$alias_-integrator"
  cid="$(api GET "/clients?clientId=$client_id" | jq -r '.[0].id // empty')"
  if [ -z "$cid" ]; then
    rep="$(jq -cn --arg c "$client_id" --arg n "$name_" '{
        clientId: $c, name: ($n + " integration"),
        description: ("System-to-system access for " + $n + ": client credentials only."),
        enabled: true, protocol: "openid-connect", publicClient: false, clientAuthenticatorType: "client-secret",
        standardFlowEnabled: false, implicitFlowEnabled: false, directAccessGrantsEnabled: false,
        serviceAccountsEnabled: true, frontchannelLogout: false, fullScopeAllowed: true,
        attributes: {"client_credentials.use_refresh_token": "false"}}')"
    api POST /clients "$rep" >/dev/null
    cid="$(api GET "/clients?clientId=$client_id" | jq -r '.[0].id // empty')"
    [ -n "$cid" ] || die "client $client_id was not created"
    log "client $client_id created"
  else
    log "client $client_id exists"
  fi
  # the scopes that put agency_id, agency_type, the organisation and audience bridge-api into its tokens
  scopes="$(api GET /client-scopes)"
  for scope in basic roles organization bridge-agency service_account; do
    scope_id="$(echo "$scopes" | jq -r --arg s "$scope" '.[] | select(.name == $s) | .id')"
    [ -n "$scope_id" ] || die "client scope $scope is missing from realm $realm (import the Bridge realm first)"
    api PUT "/clients/$cid/default-client-scopes/$scope_id" >/dev/null
  done
  sa_id="$(api GET "/clients/$cid/service-account-user" | jq -r .id)"
  set_agency_attributes "$sa_id"
  join_organisation "$sa_id"
  secret="$(api GET "/clients/$cid/client-secret" | jq -r .value)"
  secret_file="$out_dir/$client_id.secret"
  (umask 077; printf '%s' "$secret" > "$secret_file")
  log "client secret in $secret_file (hand it to the agency over a secure channel, then delete it)"

  # ---- 4. check ------------------------------------------------------------------------------------
  access="$(curl -sS --fail-with-body "$kc_url/realms/$realm/protocol/openid-connect/token" \
    --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$client_id" \
    --data-urlencode "client_secret=$secret" | jq -r .access_token)" || die "the integrator cannot get a token"
  payload="$(echo "$access" | cut -d. -f2 | tr '_-' '/+')"
  while [ $(( ${#payload} % 4 )) -ne 0 ]; do payload="$payload="; done
  claims="$(echo "$payload" | base64 -d 2>/dev/null)" || die "cannot decode the integrator's token"
  echo "$claims" | jq -e --arg id "$alias_" --arg type "$type_" \
    '.agency_id == $id and .agency_type == $type and ((.aud | if type == "array" then . else [.] end) | index("bridge-api") != null)' >/dev/null \
    || die "the integrator's token lacks agency_id=$alias_ / agency_type=$type_ / aud bridge-api: $claims"
  log "token check passed: agency_id=$alias_ agency_type=$type_ aud=bridge-api"
  if [ -n "$gateway_url" ]; then
    status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $access" "$gateway_url/v1/people/onboarding-check")"
    # 404 (or 400 for an id the service finds malformed): token accepted, agency recognised.
    # 401: the gateway rejects the token (issuer, audience, keys); 403: the services refuse the agency.
    case "$status" in
      404|400) log "gateway check passed (HTTP $status for an unknown person: token and agency accepted)" ;;
      *) die "gateway answered HTTP $status to the integrator (expected 404 for an unknown person; 401 = token rejected, 403 = agency refused)" ;;
    esac
  fi
fi
log "done: organisation $alias_ ($type_), ${#users[@]} user(s)$([ "$integrator" = true ] && echo ", integrator $alias_-integrator")"
log "next: add '$alias_: $type_' under 'agencies:' in the release's values and helm upgrade, so that consents may name it"
