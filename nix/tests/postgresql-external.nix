# The AppView on one machine, PostgreSQL on another; the URL with its password
# reaches the unit through database.urlFile (a systemd credential).
{ pkgs, module }:
let
  common = import ./common.nix;
  countMigrations = "PGPASSWORD=correct-horse psql -h db -U atbb -d atbb -tAc 'select count(*) from drizzle.__drizzle_migrations'";
in
pkgs.testers.runNixOSTest {
  name = "atbb-postgresql-external";
  nodes.db =
    { pkgs, ... }:
    {
      services.postgresql = {
        enable = true;
        enableTCPIP = true;
        authentication = "host atbb atbb 0.0.0.0/0 scram-sha-256";
        initialScript = pkgs.writeText "init.sql" ''
          CREATE ROLE atbb LOGIN PASSWORD 'correct-horse';
          CREATE DATABASE atbb OWNER atbb;
        '';
      };
      networking.firewall.allowedTCPPorts = [ 5432 ];
    };
  nodes.appview =
    { pkgs, ... }:
    {
      imports = [ module ];
      services.atbb = {
        enable = true;
        forumDid = common.forumDid;
        database.type = "postgresql";
        database.urlFile = "/etc/atbb-database-url";
      };
      environment.etc."atbb-database-url".text = "postgresql://atbb:correct-horse@db:5432/atbb";
      environment.systemPackages = [
        pkgs.curl
        pkgs.postgresql
      ];
    };
  testScript = ''
    start_all()
    db.wait_for_unit("postgresql.service")
    db.wait_for_open_port(5432)
    ${common.checkHealthy "appview"}
    appview.succeed("PGPASSWORD=correct-horse psql -h db -U atbb -d atbb -tAc 'select count(*) from forums'")
    appview.fail("systemctl is-active postgresql.service")
    # The password reaches the service as a credential, not through its unit file.
    # (The test's /etc file is in the store; a real deployment uses agenix/sops or a root-only file.)
    appview.fail("grep -r correct-horse /etc/systemd/system/atbb-appview.service")
    ${common.checkRestartKeepsMigrations "appview" countMigrations}
    ${common.checkSecurity "appview"}
  '';
}
