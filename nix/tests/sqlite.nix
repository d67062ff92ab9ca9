{ pkgs, module }:
let
  common = import ./common.nix;
in
pkgs.testers.runNixOSTest {
  name = "atbb-sqlite";
  nodes.machine =
    { pkgs, ... }:
    {
      imports = [ module ];
      services.atbb = {
        enable = true;
        forumDid = common.forumDid;
        database.type = "sqlite";
      };
      environment.systemPackages = [
        pkgs.curl
        pkgs.sqlite
      ];
    };
  testScript = ''
    machine.start()
    ${common.checkHealthy "machine"}
    machine.succeed("sqlite3 /var/lib/atbb/atbb.db '.tables' | grep -w posts")
    machine.fail("systemctl is-active postgresql.service")
    ${common.checkRestartKeepsMigrations "machine" "sqlite3 /var/lib/atbb/atbb.db 'select count(*) from __drizzle_migrations'"}
    ${common.checkSecurity "machine"}
  '';
}
