{ pkgs, module }:
let
  common = import ./common.nix;
  psql = "sudo -u atbb psql -d atbb -tAc";
in
pkgs.testers.runNixOSTest {
  name = "atbb-postgresql";
  nodes.machine =
    { pkgs, ... }:
    {
      imports = [ module ];
      services.atbb = {
        enable = true;
        forumDid = common.forumDid;
        database.type = "postgresql";
      };
      environment.systemPackages = [ pkgs.curl ];
    };
  testScript = ''
    machine.start()
    ${common.checkHealthy "machine"}
    machine.succeed("${psql} 'select count(*) from posts'")
    ${common.checkRestartKeepsMigrations "machine" "${psql} 'select count(*) from drizzle.__drizzle_migrations'"}
    ${common.checkSecurity "machine"}
  '';
}
