# The AppView as one package: bin/atbb, the compiled app with production
# dependencies, and both migration sets under share/atbb.
#
# Dependencies are pinned by pnpm-lock.yaml itself: nix/pnpm-deps.json lists
# every tarball with its lockfile integrity (regenerate with
# `node scripts/offline-deps.ts list`; CI fails when it drifts), each one is a
# fetchurl of that integrity, and scripts/offline-deps.ts fills a pnpm store
# from them without the network. No hash here needs updating by hand.
{
  lib,
  stdenv,
  fetchurl,
  linkFarm,
  nodejs_24,
  pnpm_10,
  makeWrapper,
  autoPatchelfHook,
}:

let
  packageJson = lib.importJSON ../apps/appview/package.json;
  locked = lib.importJSON ./pnpm-deps.json;

  host = stdenv.hostPlatform;
  nodeOs = if host.isDarwin then "darwin" else "linux";
  nodeCpu =
    if host.isx86_64 then
      "x64"
    else if host.isAarch64 then
      "arm64"
    else
      host.parsed.cpu.name;
  nodeLibc = if host.isMusl then "musl" else "glibc";

  # Prebuilt binaries (libsql, esbuild…) say which os/cpu/libc they are for: keep this host's.
  allows = allowed: value: allowed == null || lib.any (
    a: if lib.hasPrefix "!" a then lib.removePrefix "!" a != value else a == value
  ) allowed;
  forHost =
    tarball:
    allows (tarball.os or null) nodeOs
    && allows (tarball.cpu or null) nodeCpu
    && allows (tarball.libc or null) nodeLibc;

  # Same file naming as scripts/offline-deps.ts: sha256 of the integrity string, 32 hex digits.
  fileName = tarball: "${builtins.substring 0 32 (builtins.hashString "sha256" tarball.integrity)}.tgz";

  tarballs = linkFarm "atbb-pnpm-tarballs" (
    map (tarball: {
      name = fileName tarball;
      path = fetchurl {
        inherit (tarball) url;
        hash = tarball.integrity;
      };
    }) (lib.filter forHost locked)
  );
in
stdenv.mkDerivation {
  pname = "atbb";
  inherit (packageJson) version;

  # Only what git tracks: a working tree's node_modules, dist or data never
  # reach the build. From a flake the source is already the tracked files
  # (without .git), so the plain file set is the same thing there.
  src =
    let
      root = ../.;
      wanted = lib.fileset.unions [
        ../package.json
        ../pnpm-lock.yaml
        ../pnpm-workspace.yaml
        ../patches
        ../tsconfig.json
        ../tsconfig.base.json
        ../apps
        ../packages
        ../scripts
        ./pnpm-deps.json
      ];
    in
    lib.fileset.toSource {
      inherit root;
      fileset =
        if builtins.pathExists (root + "/.git") then
          lib.fileset.intersection (lib.fileset.gitTracked root) wanted
        else
          wanted;
    };

  nativeBuildInputs = [
    nodejs_24
    pnpm_10
    makeWrapper
  ]
  ++ lib.optional stdenv.hostPlatform.isLinux autoPatchelfHook;

  # libsql's prebuilt addon links against libstdc++/libgcc_s.
  buildInputs = [ stdenv.cc.cc.lib ];

  buildPhase = ''
    runHook preBuild
    export HOME=$TMPDIR CI=true npm_config_store_dir=$TMPDIR/pnpm-store
    # package.json names a pnpm version; pnpm 10 would fetch it when nixpkgs'
    # pnpm_10 is another release. Use the pnpm given here, whatever its version.
    export npm_config_manage_package_manager_versions=false npm_config_package_manager_strict=false
    node scripts/offline-deps.ts fill-store ${tarballs} $npm_config_store_dir
    # No install script is needed: native addons ship prebuilt (see pnpm-workspace.yaml).
    pnpm install --offline --frozen-lockfile --ignore-scripts
    pnpm bundle --out $TMPDIR/bundle --node ${lib.getExe nodejs_24}
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    mkdir -p $out
    cp -r $TMPDIR/bundle/lib $TMPDIR/bundle/share $out/
    # The Node flags of apps/appview/src/node-flags.ts (which says why), as bin/atbb has them.
    makeWrapper ${lib.getExe nodejs_24} $out/bin/atbb \
      --add-flags "--max-semi-space-size=16 $out/lib/atbb/dist/cli.js" \
      --set-default ATBB_MIGRATIONS_DIR $out/share/atbb
    runHook postInstall
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    $out/bin/atbb --version
    test -f $out/share/atbb/drizzle/meta/_journal.json
    test -f $out/share/atbb/drizzle-sqlite/meta/_journal.json
  '';

  meta = {
    description = "atBB forum AppView: indexes space.atbb.* records from the AT Protocol network and serves the forum: its pages and a JSON API";
    mainProgram = "atbb";
    platforms = lib.platforms.linux;
  };
}
