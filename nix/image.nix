# An OCI image of the AppView for hosts without NixOS (docs/container.md): the
# same package as the NixOS module runs, a non-root user, the state directory
# (SQLite file, generated keys) as a volume, and `atbb migrate` before
# `atbb serve` on every start (a no-op when nothing is pending).
#
#   nix build .#image && ./result | docker load
{
  lib,
  dockerTools,
  writeShellScript,
  writeShellScriptBin,
  writeTextDir,
  buildEnv,
  atbb,
}:

let
  uid = "990";
  stateDir = "/var/lib/atbb";

  # /bin/atbb: the database defaults to a file in the volume, unless the
  # environment names one (DATABASE_URL, or DATABASE_URL_FILE from a secret).
  command = writeShellScriptBin "atbb" ''
    if [ -z "''${DATABASE_URL:-}" ] && [ -z "''${DATABASE_URL_FILE:-}" ]; then
      export DATABASE_URL=file:${stateDir}/atbb.db
    fi
    exec ${lib.getExe atbb} "$@"
  '';

  start = writeShellScript "atbb-start" ''
    set -e
    ${lib.getExe command} migrate
    exec ${lib.getExe command} serve "$@"
  '';

  accounts = buildEnv {
    name = "atbb-accounts";
    paths = [
      (writeTextDir "etc/passwd" ''
        root:x:0:0:root:/root:/noshell
        atbb:x:${uid}:${uid}:atBB AppView:${stateDir}:/noshell
      '')
      (writeTextDir "etc/group" ''
        root:x:0:
        atbb:x:${uid}:
      '')
    ];
  };
in
dockerTools.streamLayeredImage {
  name = "atbb";
  tag = atbb.version;
  contents = [
    command
    accounts
    dockerTools.caCertificates
  ];
  extraCommands = ''
    mkdir -p .${stateDir} tmp
    chmod 1777 tmp
  '';
  fakeRootCommands = ''
    chown ${uid}:${uid} .${stateDir}
    chmod 0700 .${stateDir}
  '';
  config = {
    User = "${uid}:${uid}";
    Entrypoint = [ start ];
    WorkingDir = stateDir;
    Env = [
      "PATH=/bin"
      "HOST=0.0.0.0"
      "PORT=3000"
      # Where the app keeps the keys and secrets it generates when none are given.
      "STATE_DIRECTORY=${stateDir}"
      "SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt"
    ];
    ExposedPorts."3000/tcp" = { };
    Volumes.${stateDir} = { };
  };
}
