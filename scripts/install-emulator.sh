#!/usr/bin/env bash
# Installs the pinned local AWS emulators into <repo>/.venv (idempotent, quiet):
#   moto[server]  - EventBridge (rules -> SQS targets), SQS, DynamoDB
#   ministack     - CloudWatch over Smithy RPC v2 CBOR (moto answers only Query/JSON CloudWatch);
#                   cbor2 is not a runtime dependency of ministack but it needs it to decode CBOR.
#   cfn-lint      - validates deploy/eventbridge-kit.yaml (KitTemplateLintIT); pinned to the version
#                   moto's CloudFormation extra resolves to, so the two never fight over it.
# The JUnit extension dev.progresstracker.test.aws.AwsEmulatorExtension starts them from there.
# Installs python3 and python3-venv (Debian) first when missing; apt's output shows when that fails.
set -euo pipefail

MOTO_VERSION=5.2.5
MINISTACK_VERSION=1.5.33
CBOR2_VERSION=6.3.0
CFN_LINT_VERSION=1.58.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
  # Debian splits venv/ensurepip into python3-venv; without it "python3 -m venv" fails half-way.
  if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    echo "install-emulator: installing Debian python3-venv" >&2
    "$root/scripts/apt-install.sh" python3 python3-venv || exit 1
  fi
  "$python" -m venv "$venv" || { rm -rf "$venv"; exit 1; }
fi

want=("moto==$MOTO_VERSION" "ministack==$MINISTACK_VERSION" "cbor2==$CBOR2_VERSION" "cfn-lint==$CFN_LINT_VERSION")
have="$("$venv/bin/python" -m pip freeze 2>/dev/null || true)"
missing=0
for w in "${want[@]}"; do
  grep -qix "$w" <<<"$have" || missing=1
done
if [[ $missing -eq 1 || ! -x "$venv/bin/moto_server" || ! -x "$venv/bin/ministack" || ! -x "$venv/bin/cfn-lint" ]]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "moto[server]==$MOTO_VERSION" "ministack==$MINISTACK_VERSION" "cbor2==$CBOR2_VERSION" \
    "cfn-lint==$CFN_LINT_VERSION"
fi
echo "emulators ready in $venv (moto $MOTO_VERSION, ministack $MINISTACK_VERSION, cfn-lint $CFN_LINT_VERSION)"
