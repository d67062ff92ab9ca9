# `atbb` on the system path for operators (`sudo atbb init …`): the command
# runs as a transient unit (systemd-run) with the AppView's user, sandbox,
# environment and credentials. A transient unit rather than `runuser`: the
# secrets reach the AppView through LoadCredential, which exists only for
# units, and their files are often readable by root alone.
#
# Transient units take values literally (no specifier expansion, so no
# %-escaping), and the credential paths are spelled out for the unit's name.
{
  lib,
  writeShellScriptBin,
  systemd,
  package,
  # The AppView's serviceConfig settings to reproduce (User, hardening, StateDirectory…).
  properties,
  # Variables as the app reads them.
  environment,
  # [ { name; file; variable; } ]: LoadCredential name:file, the app reading `variable`.
  credentials,
}:

let
  systemdValue =
    value:
    if value == true then
      "true"
    else if value == false then
      "false"
    else
      toString value;

  settings = lib.filterAttrs (_: value: value != null) properties // {
    LoadCredential = map (credential: "${credential.name}:${credential.file}") credentials;
  };

  arguments = lib.concatStringsSep " \\\n  " (
    lib.concatMap (
      name:
      map (value: lib.escapeShellArg "--property=${name}=${systemdValue value}") (lib.toList settings.${name})
    ) (builtins.attrNames settings)
    ++ lib.mapAttrsToList (name: value: lib.escapeShellArg "--setenv=${name}=${value}") environment
    ++ map (
      credential: ''"--setenv=${credential.variable}=/run/credentials/$unit.service/${credential.name}"''
    ) credentials
  );
in
writeShellScriptBin "atbb" ''
  set -euo pipefail
  if [ "$(id -u)" -ne 0 ]; then
    echo "atbb: run it as root (sudo atbb …): the command then runs as ${properties.User}, with the forum's environment and credentials" >&2
    exit 1
  fi
  unit="atbb-command-$$"
  # --pipe rather than --pty: the sandbox (PrivateDevices, DevicePolicy=closed)
  # keeps terminals out; the app then logs lines instead of drawing progress bars.
  exec ${lib.getExe' systemd "systemd-run"} --quiet --wait --collect --pipe \
    --service-type=exec --unit="$unit" --description="atbb command" \
    ${arguments} \
    -- ${lib.getExe package} "$@"
''
