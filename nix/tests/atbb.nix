# The appliance in a VM, running a forum: both units up, a forum fed from a
# fake Jetstream on loopback and served (JSON, HTML when the web UI is there,
# through nginx when enabled), kept across a restart with no migration applied
# twice, the operator's `atbb`, and every unit's exposure at or below 2.0.
#
# database: "sqlite" | "postgresql" (local, peer auth) | "postgresql-external"
# (a second VM, the URL with its password through database.urlFile).
{
  pkgs,
  module,
  database,
  nginx ? false,
}:

let
  external = database == "postgresql-external";
  forumDid = "did:plc:atbbtestforum00000000000";
  jetstreamPort = 6008;
  password = "correct%horse";
  domain = "forum.test";

  countMigrations =
    {
      sqlite = "sqlite3 /var/lib/atbb/atbb.db 'select count(*) from __drizzle_migrations'";
      postgresql = "sudo -u atbb psql -d atbb -tAc 'select count(*) from drizzle.__drizzle_migrations'";
      postgresql-external = "PGPASSWORD='${password}' psql -h db -U atbb -d atbb -tAc 'select count(*) from drizzle.__drizzle_migrations'";
    }
    .${database};

  fakeJetstream = pkgs.python3.withPackages (python: [ python.websockets ]);
in
pkgs.testers.runNixOSTest {
  name = "atbb-${database}${if nginx then "-nginx" else ""}";

  nodes =
    {
      machine =
        { pkgs, lib, ... }:
        {
          imports = [ module ];
          virtualisation.memorySize = 2048;

          services.atbb = lib.mkMerge [
            {
              enable = true;
              inherit forumDid;
              database.type = if database == "sqlite" then "sqlite" else "postgresql";
              jetstreamUrl = "ws://127.0.0.1:${toString jetstreamPort}";
              settings = {
                # The VM has no network: nothing to backfill from.
                BACKFILL = "off";
                # Reaches the process unchanged only if % is escaped for systemd.
                ATBB_TEST_PERCENT = "100%d";
              };
              nginx = lib.mkIf nginx {
                enable = true;
                inherit domain;
              };
              # nginx without TLS would make it http://forum.test, which is no
              # address for OAuth; the derived value is checked by evaluation.
              publicUrl = null;
            }
            (lib.mkIf external {
              database.urlFile = "/etc/atbb/database-url";
              forum.handle = "forum.test";
              forum.appPasswordFile = "/etc/atbb/forum-app-password";
              # Nothing listens there: the forum account's agent keeps retrying.
              pdsUrl = "http://127.0.0.1:2583";
            })
          ];

          # Root-only copies, as agenix or sops-nix would leave them (the text
          # is in this test's store; a real deployment keeps it out).
          environment.etc = lib.mkIf external {
            "atbb/database-url" = {
              text = "postgresql://atbb:${lib.escapeURL password}@db:5432/atbb";
              mode = "0400";
            };
            "atbb/forum-app-password" = {
              text = "abcd-efgh-ijkl-mnop";
              mode = "0400";
            };
          };

          systemd.services.fake-jetstream = {
            wantedBy = [ "multi-user.target" ];
            before = [ "atbb-appview.service" ];
            serviceConfig = {
              ExecStart = "${fakeJetstream}/bin/python3 ${./fake-jetstream.py} /run/fake-jetstream/events.jsonl ${toString jetstreamPort}";
              RuntimeDirectory = "fake-jetstream";
            };
          };

          networking.hosts."127.0.0.1" = [ domain ];
          environment.systemPackages = [
            pkgs.curl
            pkgs.sqlite
            pkgs.postgresql
          ];
        };
    }
    // pkgs.lib.optionalAttrs external {
      db = {
        services.postgresql = {
          enable = true;
          enableTCPIP = true;
          authentication = "host atbb atbb 0.0.0.0/0 scram-sha-256";
          initialScript = pkgs.writeText "init.sql" ''
            CREATE ROLE atbb LOGIN PASSWORD '${password}';
            CREATE DATABASE atbb OWNER atbb;
          '';
        };
        networking.firewall.allowedTCPPorts = [ 5432 ];
      };
    };

  testScript = ''
    import json
    import re
    import shlex
    import sys
    import time
    from urllib.parse import urljoin

    sys.path.insert(0, "${./.}")
    from forum_events import ForumStream  # type: ignore  # (nix/tests/forum_events.py, put on sys.path above)

    member, other = "did:plc:atbbtestmemberaaaaaaaaaa", "did:plc:atbbtestmemberbbbbbbbbbb"


    def api(path, through_nginx=False):
        base = "http://${domain}" if through_nginx else "http://127.0.0.1:3000"
        return json.loads(machine.succeed(f"curl -sf {shlex.quote(base + path)}"))


    def eventually(what, check, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = check()
                if found:
                    return found
            except Exception as error:
                print(f"{what}: not yet ({error})")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(1)


    def feed(messages):
        lines = "\n".join(messages)
        machine.succeed(f"cat >> /run/fake-jetstream/events.jsonl <<'EVENTS'\n{lines}\nEVENTS")


    def follow_link(page_url, html, label):
        for href, text in re.findall(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S):
            if label in re.sub(r"<[^>]+>", "", text):
                url = urljoin(page_url, href)
                return url, machine.succeed(f"curl -sfL {shlex.quote(url)}")
        raise AssertionError(f"no link to {label!r} on {page_url}")


    def board_named(name):
        for category in api("/api/categories")["categories"]:
            for board in category["boards"]:
                if board["name"] == name:
                    return board


    def topic_titled(board_id, title):
        for topic in api(f"/api/boards/{board_id}/topics")["topics"]:
            if topic["title"] == title:
                return topic


    def topic_with_replies(board_id, count):
        topic = topic_titled(board_id, "Hello from a VM")
        return topic if topic and topic["replyCount"] == count else None


    start_all()

    with subtest("both units start and the AppView is ready"):
        ${if external then ''db.wait_for_unit("postgresql.service")'' else ""}
        machine.wait_for_unit("atbb-migrate.service")
        machine.wait_for_unit("atbb-appview.service")
        machine.wait_for_open_port(3000)
        machine.wait_until_succeeds("curl -sf http://127.0.0.1:3000/api/health/ready")
        print(machine.succeed("curl -sf http://127.0.0.1:3000/api/health"))
        machine.${if database == "postgresql" then "succeed" else "fail"}("systemctl is-active postgresql.service")

    stream = ForumStream("${forumDid}", start_us=int(time.time() * 1e6))
    forum = stream.forum("VM Test Forum")
    category = stream.category("General")
    board = stream.board(category, "Announcements")
    topic = stream.topic(member, forum, board, "Hello from a VM", "The opening post")
    first = stream.reply(other, forum, topic, topic, "First reply")
    second = stream.reply(member, forum, topic, first, "Second reply")

    with subtest("a forum fed by Jetstream is served: board, topic and replies"):
        feed(stream.messages)
        board_id = eventually("the board", lambda: board_named("Announcements"))["id"]
        listed = eventually("the topic with both replies", lambda: topic_with_replies(board_id, 2))
        page = api(f"/api/topics/{listed['id']}")
        assert page["topic"]["text"] == "The opening post", page
        assert [reply["text"] for reply in page["replies"]] == ["First reply", "Second reply"], page
        assert page["replies"][1]["parentId"] == page["replies"][0]["id"], page

    with subtest("the topic page in HTML, when the web UI is there"):
        headers = machine.succeed("curl -s -o /dev/null -D - http://127.0.0.1:3000/")
        if "content-type: text/html" in headers.lower():
            page_url, html = "http://127.0.0.1:3000/", machine.succeed("curl -sf http://127.0.0.1:3000/")
            # Follow the links a reader would: the board, then the topic.
            for label in ["Announcements", "Hello from a VM"]:
                page_url, html = follow_link(page_url, html, label)
            for text in ["The opening post", "First reply", "Second reply"]:
                assert text in html, f"{text!r} missing from the topic page {page_url}"
        else:
            print("this package serves no web UI (/ is not HTML): the JSON API above is the forum")

    ${if nginx then ''
      with subtest("nginx serves the same forum at its domain"):
          via_nginx = api(f"/api/topics/{listed['id']}", through_nginx=True)
          assert via_nginx == page, "nginx answers differently from the AppView"
    '' else ""}

    with subtest("a restart keeps the forum, applies no migration twice, and follows on"):
        before = machine.succeed("${countMigrations}").strip()
        machine.succeed("systemctl restart atbb-migrate.service atbb-appview.service")
        machine.wait_for_unit("atbb-appview.service")
        machine.wait_until_succeeds("curl -sf http://127.0.0.1:3000/api/health/ready")
        after = machine.succeed("${countMigrations}").strip()
        assert before == after, f"migrations re-applied: {before} -> {after}"
        assert topic_titled(board_id, "Hello from a VM")["replyCount"] == 2
        # The replayed window (cursor - 10 s) changes nothing; a new reply arrives.
        stream.messages.clear()
        stream.reply(other, forum, topic, second, "After the restart")
        feed(stream.messages)
        eventually("the reply after the restart", lambda: topic_with_replies(board_id, 3))

    with subtest("the state directory is private and the environment arrives intact"):
        machine.succeed("test \"$(stat -c '%U %a' /var/lib/atbb)\" = 'atbb 700'")
        machine.succeed("test -z \"$(find /var/lib/atbb -type f -perm /077)\"")
        pid = machine.succeed("systemctl show -p MainPID --value atbb-appview").strip()
        machine.succeed(f"tr '\\0' '\\n' < /proc/{pid}/environ | grep -qx 'ATBB_TEST_PERCENT=100%d'")

    ${if external then ''
      with subtest("secrets arrive as credentials, never in the unit or the store"):
          machine.succeed("test -f /run/credentials/atbb-appview.service/database-url")
          machine.succeed("test -f /run/credentials/atbb-appview.service/forum-app-password")
          machine.fail("grep -r 'correct' /etc/systemd/system/atbb-appview.service /etc/systemd/system/atbb-migrate.service")
          machine.succeed(f"tr '\\0' '\\n' < /proc/{pid}/environ | grep -qx 'FORUM_APP_PASSWORD_FILE=/run/credentials/atbb-appview.service/forum-app-password'")
    '' else ""}

    with subtest("the operator's atbb runs as the service user with its environment"):
        status = machine.succeed("atbb status")
        print(status)
        assert "${if database == "sqlite" then "sqlite" else "postgres"}" in status.lower(), status
        # From another user it refuses, saying why (starting a unit as atbb needs root).
        machine.succeed("su -s /bin/sh nobody -c '/run/current-system/sw/bin/atbb status' 2>&1 | grep -q 'run it as root'")

    with subtest("every unit's exposure stays at or below 2.0"):
        for unit in ["atbb-migrate.service", "atbb-appview.service"]:
            report = machine.succeed(f"systemd-analyze security {unit} --no-pager")
            print(report)
            exposure = float(report.split("Overall exposure level for")[1].split(":")[1].split()[0])
            assert exposure <= 2.0, f"{unit} exposure {exposure} > 2.0"
  '';
}
