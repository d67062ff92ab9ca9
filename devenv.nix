# Contributors: `devenv up` starts PostgreSQL and the AppView (migrate, then serve).
# For SQLite instead, create devenv.local.nix (git-ignored) with:
#
#   { lib, ... }: {
#     services.postgres.enable = lib.mkForce false;
#     env.DATABASE_URL = lib.mkForce "file:./data/atbb.db";
#   }
{
  pkgs,
  lib,
  config,
  ...
}:

{
  packages = [
    pkgs.pnpm_10
    pkgs.sqlite
  ];

  languages.javascript = {
    enable = true;
    package = pkgs.nodejs_24;
  };

  services.postgres = {
    enable = lib.mkDefault true;
    listen_addresses = "127.0.0.1";
    initialDatabases = [ { name = "atbb"; } ];
  };

  env.DATABASE_URL = lib.mkDefault "postgresql://${config.env.USER or "postgres"}@/atbb?host=${config.env.PGHOST or "/tmp"}";

  processes.appview = {
    exec = "pnpm install --frozen-lockfile && pnpm atbb migrate && pnpm atbb serve";
    process-compose = lib.mkIf config.services.postgres.enable {
      depends_on.postgres.condition = "process_healthy";
    };
  };
}
