# Shared by the VM tests: a forum DID and the health check every test makes.
{
  forumDid = "did:plc:atbbtestforum00000000000";

  # Waits for both units and the API, then prints the health document.
  checkHealthy = machine: ''
    ${machine}.wait_for_unit("atbb-migrate.service")
    ${machine}.wait_for_unit("atbb-appview.service")
    ${machine}.wait_for_open_port(3000)
    ${machine}.succeed("curl -sf http://127.0.0.1:3000/api/health/ready")
    print(${machine}.succeed("curl -sf http://127.0.0.1:3000/api/health"))
  '';

  # Restarting must not re-apply migrations: the journal row count stays put.
  checkRestartKeepsMigrations = machine: countCommand: ''
    before = ${machine}.succeed("${countCommand}").strip()
    ${machine}.succeed("systemctl restart atbb-migrate.service atbb-appview.service")
    ${machine}.wait_for_unit("atbb-appview.service")
    ${machine}.wait_for_open_port(3000)
    after = ${machine}.succeed("${countCommand}").strip()
    assert before == after, f"migrations re-applied: {before} → {after}"
  '';

  # The unit's systemd-analyze exposure must stay at 2.0 or below.
  checkSecurity = machine: ''
    report = ${machine}.succeed("systemd-analyze security atbb-appview.service --no-pager")
    print(report)
    exposure = float(report.strip().splitlines()[-1].split()[-3])
    assert exposure <= 2.0, f"atbb-appview exposure {exposure} > 2.0"
  '';
}
