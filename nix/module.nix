# services.atbb: the forum's AppView on NixOS, on SQLite or PostgreSQL.
#
# Works on its own (`imports = [ ./nix/module.nix ]`, the package built with
# the system's pkgs) or through the flake (`nixosModules.default`), and picks
# up `pkgs.atbb` when `overlays.default` is applied.
{
  config,
  lib,
  pkgs,
  ...
}:

let
  inherit (lib)
    concatStringsSep
    filter
    hasPrefix
    literalExpression
    mapAttrs
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    optional
    optionalAttrs
    types
    ;

  cfg = config.services.atbb;

  stateDir = "/var/lib/atbb";

  localPostgres = cfg.database.type == "postgresql" && cfg.database.createLocally;
  externalPostgres = cfg.database.type == "postgresql" && !cfg.database.createLocally;

  # Releases before the postgresql.target unit order against the service itself.
  postgresUnit =
    if config.systemd.targets ? postgresql then "postgresql.target" else "postgresql.service";

  databaseUnits = optional localPostgres postgresUnit;

  # A secret file given as a string: never copied into the world-readable store.
  isOutsideStore = path: hasPrefix "/" path && !hasPrefix "${builtins.storeDir}/" path;

  # Secret files reach the units as systemd credentials; the app reads each
  # through the variable named here (a path under $CREDENTIALS_DIRECTORY).
  databaseCredentials = optional (cfg.database.urlFile != null) {
    name = "database-url";
    file = cfg.database.urlFile;
    variable = "DATABASE_URL_FILE";
    option = "database.urlFile";
  };
  loginCredentials =
    optional (cfg.forum.appPasswordFile != null) {
      name = "forum-app-password";
      file = cfg.forum.appPasswordFile;
      variable = "FORUM_APP_PASSWORD_FILE";
      option = "forum.appPasswordFile";
    }
    ++ optional (cfg.oauth.keyFile != null) {
      name = "oauth-key";
      file = cfg.oauth.keyFile;
      variable = "OAUTH_KEY_FILE";
      option = "oauth.keyFile";
    }
    ++ optional (cfg.sessionSecretFile != null) {
      name = "session-secret";
      file = cfg.sessionSecretFile;
      variable = "SESSION_SECRET_FILE";
      option = "sessionSecretFile";
    };
  # The migrator needs only the database; the AppView gets every secret.
  migrateCredentials = databaseCredentials;
  appviewCredentials = databaseCredentials ++ loginCredentials;

  databaseUrl =
    if cfg.database.type == "sqlite" then
      "file:${cfg.database.path}"
    else if localPostgres then
      "postgresql://${cfg.user}@/${cfg.database.name}?host=/run/postgresql"
    else
      cfg.database.url;

  # Every variable an option of this module sets, with that option: `settings`
  # may not set them too (one place for each value, nothing silently replaced).
  optionVariables = {
    DATABASE_URL = "database.url, database.urlFile or database.path";
    DATABASE_URL_FILE = "database.urlFile";
    HOST = "host";
    PORT = "port";
    SOURCE = "source";
    JETSTREAM_URL = "jetstreamUrl";
    FIREHOSE_URL = "firehoseUrl";
    LOG_LEVEL = "logLevel";
    NOTIFICATIONS = "notifications";
    FORUM_DID = "forumDid";
    PDS_URL = "pdsUrl";
    FORUM_HANDLE = "forum.handle";
    FORUM_APP_PASSWORD = "forum.appPasswordFile";
    FORUM_APP_PASSWORD_FILE = "forum.appPasswordFile";
    PUBLIC_URL = "publicUrl";
    OAUTH_KEY_FILE = "oauth.keyFile";
    SESSION_SECRET_FILE = "sessionSecretFile";
  };
  settingsClashes = filter (name: cfg.settings ? ${name}) (builtins.attrNames optionVariables);

  # The environment as the app reads it (values taken literally).
  plainEnvironment =
    mapAttrs (_: toString) cfg.settings
    // {
      HOST = cfg.host;
      PORT = toString cfg.port;
      SOURCE = cfg.source;
      JETSTREAM_URL = cfg.jetstreamUrl;
      LOG_LEVEL = cfg.logLevel;
      NOTIFICATIONS = if cfg.notifications then "on" else "off";
    }
    // optionalAttrs (cfg.firehoseUrl != null) { FIREHOSE_URL = cfg.firehoseUrl; }
    // optionalAttrs (databaseUrl != null) { DATABASE_URL = databaseUrl; }
    // optionalAttrs (cfg.forumDid != null) { FORUM_DID = cfg.forumDid; }
    // optionalAttrs (cfg.pdsUrl != null) { PDS_URL = cfg.pdsUrl; }
    // optionalAttrs (cfg.forum.handle != null) { FORUM_HANDLE = cfg.forum.handle; }
    // optionalAttrs (cfg.publicUrl != null) { PUBLIC_URL = cfg.publicUrl; };

  # systemd expands specifiers (%h, %n, …) in Environment=, so a literal % (in
  # a percent-encoded URL, say) is written %%; only the credential paths use
  # one on purpose (%d, the unit's credentials directory).
  unitEnvironment =
    credentials:
    mapAttrs (_: lib.replaceStrings [ "%" ] [ "%%" ]) plainEnvironment
    // builtins.listToAttrs (
      map (credential: {
        name = credential.variable;
        value = "%d/${credential.name}";
      }) credentials
    );

  # One hardening set for both units (and the operator's `atbb`), in the
  # style of nixpkgs' miniflux and forgejo.
  hardening = {
    User = cfg.user;
    Group = cfg.group;
    UMask = "0077";
    NoNewPrivileges = true;
    CapabilityBoundingSet = "";
    AmbientCapabilities = "";
    ProtectSystem = "strict";
    ProtectHome = true;
    PrivateTmp = true;
    PrivateDevices = true;
    PrivateUsers = true;
    ProtectHostname = true;
    ProtectClock = true;
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectProc = "invisible";
    ProcSubset = "pid";
    RestrictAddressFamilies = [
      "AF_INET"
      "AF_INET6"
      "AF_UNIX"
    ];
    RestrictNamespaces = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    LockPersonality = true;
    # V8 compiles JavaScript at run time: it needs writable-then-executable memory.
    MemoryDenyWriteExecute = false;
    RemoveIPC = true;
    SystemCallArchitectures = "native";
    SystemCallFilter = [
      "@system-service"
      "~@privileged"
      "~@resources"
    ];
    DevicePolicy = "closed";
    # Every database mode gets it: keys and secrets that are not given are
    # generated here at first start (0600, from the UMask) and kept.
    StateDirectory = "atbb";
    StateDirectoryMode = "0700";
  }
  // optionalAttrs (customDatabaseDirectory != null) { ReadWritePaths = [ customDatabaseDirectory ]; }
  // optionalAttrs (cfg.environmentFile != null) { EnvironmentFile = cfg.environmentFile; };

  # A SQLite file outside the state directory: its directory is created for
  # the service user (tmpfiles) and made writable in the sandbox.
  customDatabaseDirectory =
    if cfg.database.type == "sqlite" && dirOf cfg.database.path != stateDir then
      dirOf cfg.database.path
    else
      null;

  loadCredentials = credentials: map (credential: "${credential.name}:${credential.file}") credentials;

  atbb = lib.getExe cfg.package;

  # An external server may not be reachable yet at boot (network, DNS, the
  # server itself): try again with a growing pause (2 s … 60 s) for about five minutes,
  # within the one start job, so the AppView (Requires=) waits for it.
  migrateCommand =
    if externalPostgres then
      pkgs.writeShellScript "atbb-migrate" ''
        pause=2
        for ((attempt = 1; attempt <= 10; attempt++)); do
          ${atbb} migrate && exit 0
          if ((attempt < 10)); then
            echo "atbb migrate: attempt $attempt failed; trying again in $pause s" >&2
            ${lib.getExe' pkgs.coreutils "sleep"} "$pause"
            pause=$((pause * 2 > 60 ? 60 : pause * 2))
          fi
        done
        echo "atbb migrate: failed 10 times over about five minutes; giving up (systemctl start atbb-appview tries again)" >&2
        exit 1
      ''
    else
      "${atbb} migrate";

  operatorCommand = import ./operator-command.nix {
    inherit lib;
    inherit (pkgs) writeShellScriptBin;
    systemd = config.systemd.package;
    inherit (cfg) package;
    properties = hardening;
    environment = plainEnvironment;
    credentials = appviewCredentials;
  };

  secretPathOption =
    description:
    mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "/run/secrets/atbb";
      inherit description;
    };
in
{
  options.services.atbb = {
    enable = mkEnableOption "the atBB forum AppView (indexes space.atbb.* records and serves the forum)";

    package = mkOption {
      type = types.package;
      default = pkgs.atbb or (pkgs.callPackage ./package.nix { });
      defaultText = literalExpression "pkgs.atbb (overlays.default), else nix/package.nix built with the system's pkgs";
      description = "The atBB package (bin/atbb and both migration sets).";
    };

    user = mkOption {
      type = types.str;
      default = "atbb";
      description = "System user the AppView runs as; created by this module, with `group` as its group.";
    };

    group = mkOption {
      type = types.str;
      default = "atbb";
      description = "Group the AppView runs as; created by this module.";
    };

    database = {
      type = mkOption {
        type = types.enum [
          "postgresql"
          "sqlite"
        ];
        default = "sqlite";
        description = ''
          Database engine. `sqlite` keeps everything in one file (`database.path`)
          and suits one small forum; `postgresql` suits larger forums and several
          AppView replicas.
        '';
      };

      path = mkOption {
        type = types.str;
        default = "${stateDir}/atbb.db";
        description = ''
          SQLite database file (database.type = "sqlite"), an absolute path. Outside
          ${stateDir}, its directory is created and owned by the service user.
        '';
      };

      createLocally = mkOption {
        type = types.bool;
        default =
          cfg.database.type == "postgresql" && cfg.database.url == null && cfg.database.urlFile == null;
        defaultText = literalExpression ''database.type == "postgresql" && database.url == null && database.urlFile == null'';
        description = ''
          Create a local PostgreSQL database and role named after
          `database.name` and the service user, reached over /run/postgresql
          with peer authentication (no password anywhere). Set it to false for
          an external server given by `database.url`, `database.urlFile`, or a
          DATABASE_URL in `environmentFile`.
        '';
      };

      name = mkOption {
        type = types.str;
        default = "atbb";
        description = "Name of the locally created PostgreSQL database (must equal the user name for ensureDBOwnership).";
      };

      url = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "postgresql://atbb@db.example.org:5432/atbb?sslmode=require";
        description = ''
          URL of an external PostgreSQL server, without a password: it ends up
          in the world-readable Nix store. For a URL with a password use
          `database.urlFile`.
        '';
      };

      urlFile = secretPathOption ''
        Absolute path, outside the Nix store, of a file holding the database URL
        (with its password). The unit reads it as a systemd credential
        (LoadCredential, so it may be readable by root alone); the app gets it
        through DATABASE_URL_FILE.
      '';
    };

    host = mkOption {
      type = types.str;
      default = "127.0.0.1";
      description = "Address the AppView listens on. Keep the default behind a reverse proxy (`nginx`).";
    };

    port = mkOption {
      type = types.port;
      default = 3000;
      description = "Port the AppView listens on.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open `port` in the firewall (only useful with a public `host`).";
    };

    forumDid = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "did:plc:abcdefghijklmnopqrstuvwx";
      description = "DID of the forum account: forum structure, roles and moderation count only from it.";
    };

    pdsUrl = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "https://pds.example.org";
      description = "The forum account's PDS, when it cannot be found from the DID document.";
    };

    forum = {
      handle = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "forum.example.org";
        description = "Handle the forum account logs in with (FORUM_HANDLE); the forum DID is used when unset.";
      };

      appPasswordFile = secretPathOption ''
        Absolute path, outside the Nix store, of a file holding the forum
        account's app password, with which the AppView and `atbb init` write
        forum structure, role grants and moderation. Passed as a systemd
        credential (FORUM_APP_PASSWORD_FILE). Without it the forum is read-only
        for its staff.
      '';
    };

    publicUrl = mkOption {
      type = types.nullOr types.str;
      default =
        if cfg.nginx.enable && cfg.nginx.domain != null then
          "${if cfg.nginx.forceSSL || cfg.nginx.enableACME then "https" else "http"}://${cfg.nginx.domain}"
        else
          null;
      defaultText = literalExpression ''"https://''${nginx.domain}" with nginx (http:// without TLS), else null'';
      example = "https://forum.example.org";
      description = ''
        Address browsers reach the forum at (PUBLIC_URL); OAuth client metadata
        is served under it. Over https the AppView is a confidential OAuth
        client; unset, it is a loopback client for development only.
      '';
    };

    oauth.keyFile = secretPathOption ''
      Absolute path, outside the Nix store, of the OAuth client's signing key
      (OAUTH_KEY_FILE, a systemd credential). Unset, a key is generated at first
      start into ${stateDir} (mode 0600) and kept.
    '';

    sessionSecretFile = secretPathOption ''
      Absolute path, outside the Nix store, of the secret that encrypts members'
      OAuth tokens at rest (SESSION_SECRET_FILE, a systemd credential). Unset, one
      is generated at first start into ${stateDir} (mode 0600) and kept.
    '';

    nginx = {
      enable = mkEnableOption "an nginx virtual host that proxies `nginx.domain` to the AppView";

      domain = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "forum.example.org";
        description = ''
          Name of the virtual host (services.nginx.virtualHosts.<domain>, where
          anything else nginx offers can be added).
        '';
      };

      enableACME = mkOption {
        type = types.bool;
        default = false;
        description = "Get a certificate for `nginx.domain` from Let's Encrypt (security.acme must accept the terms and name an email).";
      };

      forceSSL = mkOption {
        type = types.bool;
        default = cfg.nginx.enableACME;
        defaultText = literalExpression "nginx.enableACME";
        description = "Redirect http to https (needs a certificate: `nginx.enableACME` or the virtual host's own).";
      };
    };

    source = mkOption {
      type = types.enum [
        "jetstream"
        "firehose"
      ];
      default = "jetstream";
      description = ''
        Where live events come from: "jetstream" (JSON, light, trusts the Jetstream
        operator) or "firehose" (com.atproto.sync.subscribeRepos from firehoseUrl,
        every commit's signature checked against its author's DID document).
      '';
    };

    jetstreamUrl = mkOption {
      type = types.str;
      default = "wss://jetstream2.us-east.bsky.network";
      description = "Jetstream instance to follow (source = \"jetstream\").";
    };

    firehoseUrl = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "wss://bsky.network";
      description = "A relay's or PDS's firehose (source = \"firehose\").";
    };

    logLevel = mkOption {
      type = types.enum [
        "fatal"
        "error"
        "warn"
        "info"
        "debug"
        "trace"
        "silent"
      ];
      default = "info";
      description = "Log level; logs are JSON lines in the journal.";
    };

    notifications = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Derive members' notifications (replies, quotes, mentions, moderators'
        actions) as the indexer applies their causes, shown by the pages' bell
        and /api/notifications. Off, the indexer derives none (ingest does less
        work) and those pages and routes answer that notifications are off;
        what was derived stays in the database, and turning them on again
        derives from then on only.
      '';
    };

    environmentFile = secretPathOption ''
      Absolute path, outside the Nix store, of a systemd EnvironmentFile with
      extra (secret) variables for both units, e.g. DATABASE_URL=… for an
      external server (with `database.createLocally = false`). Read by systemd
      as root.
    '';

    settings = mkOption {
      type = types.attrsOf (
        types.oneOf [
          types.str
          types.int
        ]
      );
      default = { };
      example = {
        CORS_ORIGINS = "https://forum.example.org";
        BACKFILL_CONCURRENCY = 8;
        WEB = "off";
      };
      description = ''
        Extra environment variables for both units (see the README's configuration
        table), for variables no option here sets, such as `WEB = "off"` to serve
        the JSON API without the forum's pages. No secrets: they land in the
        Nix store.
      '';
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = cfg.source != "firehose" || cfg.firehoseUrl != null;
          message = "services.atbb.source = \"firehose\" needs services.atbb.firehoseUrl (e.g. wss://bsky.network).";
        }
        {
          assertion = cfg.forumDid != null;
          message = "services.atbb.forumDid must be set: the AppView indexes only the forum account it is told about.";
        }
        {
          assertion = !(cfg.database.createLocally && cfg.database.type != "postgresql");
          message = "services.atbb.database.createLocally only applies to database.type = \"postgresql\".";
        }
        {
          assertion = !(cfg.database.url != null && cfg.database.urlFile != null);
          message = "services.atbb.database.url and database.urlFile are both set: keep only one (urlFile for URLs with a password).";
        }
        {
          assertion =
            !(cfg.database.createLocally && (cfg.database.url != null || cfg.database.urlFile != null));
          message = "services.atbb.database.createLocally creates a local database: do not also give database.url or database.urlFile.";
        }
        {
          assertion =
            !(
              externalPostgres
              && cfg.database.url == null
              && cfg.database.urlFile == null
              && cfg.environmentFile == null
            );
          message = "services.atbb.database.type = \"postgresql\" without createLocally needs database.url, database.urlFile, or a DATABASE_URL in environmentFile.";
        }
        {
          assertion = !localPostgres || cfg.database.name == cfg.user;
          message = "services.atbb.database.name must equal services.atbb.user for a local database (ensureDBOwnership).";
        }
        {
          assertion = cfg.database.url == null || builtins.match "[^:]+://[^/@]*:[^/@]*@.*" cfg.database.url == null;
          message = "services.atbb.database.url holds a password, which would land in the world-readable Nix store: put the URL in a file and name it with database.urlFile.";
        }
        {
          assertion = cfg.database.type != "sqlite" || isOutsideStore cfg.database.path;
          message = "services.atbb.database.path must be an absolute path outside the Nix store (got ${cfg.database.path}).";
        }
        {
          assertion = settingsClashes == [ ];
          message = "services.atbb.settings sets ${concatStringsSep ", " settingsClashes}, which ${
            if builtins.length settingsClashes == 1 then "an option sets" else "options set"
          }: use services.atbb.${
            concatStringsSep ", services.atbb." (map (name: optionVariables.${name}) settingsClashes)
          } instead.";
        }
        {
          assertion = !cfg.nginx.enable || cfg.nginx.domain != null;
          message = "services.atbb.nginx.enable needs services.atbb.nginx.domain (e.g. forum.example.org).";
        }
        {
          assertion = cfg.publicUrl == null || builtins.match "https?://[^/?#@ ]+(/[^?# ]*)?" cfg.publicUrl != null;
          message = "services.atbb.publicUrl must be an http(s) URL such as https://forum.example.org (got ${toString cfg.publicUrl}).";
        }
      ]
      ++ map
        (secret: {
          assertion = secret.file == null || isOutsideStore secret.file;
          message = "services.atbb.${secret.option} must be an absolute path outside the Nix store, as a string (e.g. \"/run/secrets/atbb\"): a file in the store is readable by every user (got ${toString secret.file}).";
        })
        (
          appviewCredentials
          ++ [
            {
              option = "environmentFile";
              file = cfg.environmentFile;
            }
          ]
        );
    }

    {
      users.users.${cfg.user} = {
        isSystemUser = true;
        group = cfg.group;
        home = stateDir;
        description = "atBB AppView";
      };
      users.groups.${cfg.group} = { };
    }

    (mkIf (customDatabaseDirectory != null) {
      systemd.tmpfiles.rules = [ "d ${customDatabaseDirectory} 0700 ${cfg.user} ${cfg.group} - -" ];
    })

    (mkIf localPostgres {
      services.postgresql = {
        enable = true;
        ensureDatabases = [ cfg.database.name ];
        ensureUsers = [
          {
            name = cfg.user;
            ensureDBOwnership = true;
          }
        ];
      };
    })

    (mkIf cfg.openFirewall { networking.firewall.allowedTCPPorts = [ cfg.port ]; })

    (mkIf cfg.nginx.enable {
      services.nginx = {
        enable = true;
        virtualHosts.${cfg.nginx.domain} = {
          inherit (cfg.nginx) enableACME forceSSL;
          locations."/" = {
            proxyPass =
              let
                target =
                  if cfg.host == "0.0.0.0" then
                    "127.0.0.1"
                  else if cfg.host == "::" then
                    "[::1]"
                  else if lib.hasInfix ":" cfg.host then
                    "[${cfg.host}]"
                  else
                    cfg.host;
              in
              "http://${target}:${toString cfg.port}";
            recommendedProxySettings = true;
          };
        };
      };
    })

    {
      environment.systemPackages = [ operatorCommand ];

      systemd.services.atbb-migrate = {
        description = "atBB database migrations";
        wantedBy = [ "multi-user.target" ];
        requires = databaseUnits;
        after = [ "network-online.target" ] ++ databaseUnits;
        wants = [ "network-online.target" ];
        environment = unitEnvironment migrateCredentials;
        serviceConfig = hardening // {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = migrateCommand;
          LoadCredential = loadCredentials migrateCredentials;
        };
      };

      systemd.services.atbb-appview = {
        description = "atBB forum AppView";
        wantedBy = [ "multi-user.target" ];
        requires = [ "atbb-migrate.service" ] ++ databaseUnits;
        after = [
          "atbb-migrate.service"
          "network-online.target"
        ]
        ++ databaseUnits;
        wants = [ "network-online.target" ];
        environment = unitEnvironment appviewCredentials;
        serviceConfig = hardening // {
          Type = "simple";
          ExecStart = "${atbb} serve";
          LoadCredential = loadCredentials appviewCredentials;
          Restart = "on-failure";
          RestartSec = 5;
          TimeoutStopSec = 20;
        };
      };
    }
  ]);
}
