{
  config,
  lib,
  pkgs,
  ...
}:

let
  inherit (lib)
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    mkPackageOption
    optional
    optionalAttrs
    types
    ;

  cfg = config.services.atbb;

  localPostgres = cfg.database.type == "postgresql" && cfg.database.createLocally;
  externalPostgres = cfg.database.type == "postgresql" && !cfg.database.createLocally;

  # Releases before the postgresql.target unit order against the service itself.
  postgresUnit =
    if config.systemd.targets ? postgresql then "postgresql.target" else "postgresql.service";

  databaseUrl =
    if cfg.database.type == "sqlite" then
      "file:${cfg.database.path}"
    else if localPostgres then
      "postgresql://${cfg.user}@/${cfg.database.name}?host=/run/postgresql"
    else
      cfg.database.url;

  environment = {
    HOST = cfg.host;
    PORT = toString cfg.port;
    SOURCE = cfg.source;
    JETSTREAM_URL = cfg.jetstreamUrl;
    LOG_LEVEL = cfg.logLevel;
  }
  // optionalAttrs (cfg.firehoseUrl != null) { FIREHOSE_URL = cfg.firehoseUrl; }
  // optionalAttrs (databaseUrl != null) { DATABASE_URL = databaseUrl; }
  // optionalAttrs (cfg.database.urlFile != null) { DATABASE_URL_FILE = "%d/database-url"; }
  // optionalAttrs (cfg.forumDid != null) { FORUM_DID = cfg.forumDid; }
  // optionalAttrs (cfg.pdsUrl != null) { PDS_URL = cfg.pdsUrl; }
  // cfg.settings;

  # One hardening set for both units, in the style of nixpkgs' miniflux and forgejo.
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
  }
  // optionalAttrs (cfg.database.type == "sqlite") {
    StateDirectory = "atbb";
    StateDirectoryMode = "0700";
    ReadWritePaths = [ (dirOf cfg.database.path) ];
  }
  // optionalAttrs (cfg.environmentFile != null) { EnvironmentFile = cfg.environmentFile; }
  // optionalAttrs (cfg.database.urlFile != null) {
    LoadCredential = [ "database-url:${cfg.database.urlFile}" ];
  };

  databaseUnits = optional localPostgres postgresUnit;
in
{
  options.services.atbb = {
    enable = mkEnableOption "the atBB forum AppView (indexes space.atbb.* records and serves the forum as JSON)";

    package = mkPackageOption pkgs "atbb" { };

    user = mkOption {
      type = types.str;
      default = "atbb";
      description = "User the AppView runs as. Created when left at the default.";
    };

    group = mkOption {
      type = types.str;
      default = "atbb";
      description = "Group the AppView runs as. Created when left at the default.";
    };

    database = {
      type = mkOption {
        type = types.enum [
          "postgresql"
          "sqlite"
        ];
        default = "sqlite";
        description = ''
          Database engine. `sqlite` keeps everything in one file under
          /var/lib/atbb and suits one small forum; `postgresql` suits larger
          forums and several AppView replicas.
        '';
      };

      path = mkOption {
        type = types.path;
        default = "/var/lib/atbb/atbb.db";
        description = "SQLite database file (database.type = \"sqlite\"). Its directory must be writable by the service.";
      };

      createLocally = mkOption {
        type = types.bool;
        default = cfg.database.type == "postgresql" && cfg.database.url == null && cfg.database.urlFile == null;
        defaultText = lib.literalExpression ''database.type == "postgresql" && database.url == null && database.urlFile == null'';
        description = ''
          Create a local PostgreSQL database and role named after
          `database.name` and the service user, reached over
          /run/postgresql with peer authentication (no password anywhere).
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
          URL of an external PostgreSQL server. It ends up in the Nix store:
          put no password here; use `database.urlFile` instead.
        '';
      };

      urlFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        example = "/run/secrets/atbb-database-url";
        description = ''
          File holding the database URL (with its password), passed to the
          service as a systemd credential and read through DATABASE_URL_FILE.
          It never enters the Nix store.
        '';
      };
    };

    host = mkOption {
      type = types.str;
      default = "127.0.0.1";
      description = "Address the JSON API listens on. Keep the default behind a reverse proxy.";
    };

    port = mkOption {
      type = types.port;
      default = 3000;
      description = "Port the JSON API listens on.";
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

    environmentFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "systemd EnvironmentFile with extra (secret) variables, e.g. DATABASE_URL=… It never enters the Nix store.";
    };

    settings = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = {
        CORS_ORIGINS = "https://forum.example.org";
      };
      description = "Extra environment variables for both units (see the README's configuration table). No secrets: they land in the Nix store.";
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
          assertion = !(cfg.database.createLocally && (cfg.database.url != null || cfg.database.urlFile != null));
          message = "services.atbb.database.createLocally creates a local database: do not also give database.url or database.urlFile.";
        }
        {
          assertion = !(externalPostgres && cfg.database.url == null && cfg.database.urlFile == null);
          message = "services.atbb.database.type = \"postgresql\" without createLocally needs database.url or database.urlFile.";
        }
        {
          assertion = !localPostgres || cfg.database.name == cfg.user;
          message = "services.atbb.database.name must equal services.atbb.user for a local database (ensureDBOwnership).";
        }
      ];
    }

    (mkIf (cfg.user == "atbb") {
      users.users.atbb = {
        isSystemUser = true;
        group = cfg.group;
        description = "atBB AppView";
      };
    })
    (mkIf (cfg.group == "atbb") { users.groups.atbb = { }; })

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

    {
      systemd.services.atbb-migrate = {
        description = "atBB database migrations";
        wantedBy = [ "multi-user.target" ];
        requires = databaseUnits;
        after = [ "network-online.target" ] ++ databaseUnits;
        wants = [ "network-online.target" ];
        inherit environment;
        serviceConfig = hardening // {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = "${lib.getExe cfg.package} migrate";
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
        inherit environment;
        serviceConfig = hardening // {
          Type = "simple";
          ExecStart = "${lib.getExe cfg.package} serve";
          Restart = "on-failure";
          RestartSec = 5;
          TimeoutStopSec = 20;
        };
      };
    }
  ]);
}
