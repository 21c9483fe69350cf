#!/usr/bin/env bash
# Deploys the companion package (force-app/) to a Salesforce org with the sf CLI from devDependencies.
#   npm run metadata:deploy -- <org-alias>             deploy
#   npm run metadata:deploy -- --validate <org-alias>  check only (sf project deploy validate), nothing saved
# The org alias can also come from SF_TARGET_ORG. Log in first: `npx sf org login web --alias <org-alias>`.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat >&2 <<'EOF'
Usage: npm run metadata:deploy -- [--validate] <org-alias>
       (or: bash scripts/deploy-metadata.sh [--validate] <org-alias>)

Deploys force-app/ (the PRM_ custom fields, record types and permission sets) to the org <org-alias>.
  --validate   run every deploy check in the org (sf project deploy validate) without saving anything;
               it runs the org's local Apex tests. On a sandbox or scratch org, a plain deploy is cheaper.
  <org-alias>  an org you are logged in to; defaults to $SF_TARGET_ORG when set.
               Log in with: npx sf org login web --alias <org-alias> [--instance-url https://test.salesforce.com]
               or make a scratch org: npx sf org create scratch --definition-file scripts/project-scratch-def.json \
                 --alias <org-alias> --target-dev-hub <dev-hub-alias>

After deploying, assign the permission sets:
  npx sf org assign permset --name PRM_Integration --on-behalf-of <integration user> --target-org <org-alias>
  npx sf org assign permset --name PRM_Admin --target-org <org-alias>
EOF
}

mode=start
alias_arg=""
for arg in "$@"; do
  case "$arg" in
    --validate) mode=validate ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "Unknown option: $arg" >&2; usage; exit 2 ;;
    *)
      if [[ -n "$alias_arg" ]]; then echo "Only one org alias can be given (got \"$alias_arg\" and \"$arg\")." >&2; usage; exit 2; fi
      alias_arg="$arg"
      ;;
  esac
done

target_org="${alias_arg:-${SF_TARGET_ORG:-}}"
if [[ -z "$target_org" ]]; then
  echo "No target org: pass an org alias or set SF_TARGET_ORG." >&2
  usage
  exit 2
fi

export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_SKIP_NEW_VERSION_CHECK=true

# `deploy validate` is meant for production orgs: it runs the org's local Apex tests (the package itself
# has no Apex) and returns a job id that `sf project deploy quick` can deploy without re-running them.
if [[ "$mode" == validate ]]; then
  echo "Validating force-app against $target_org (nothing is saved)…"
  exec npx sf project deploy validate --source-dir force-app --target-org "$target_org"
fi
echo "Deploying force-app to $target_org…"
exec npx sf project deploy start --source-dir force-app --target-org "$target_org"
