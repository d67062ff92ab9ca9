{
  description = "atBB: a BB-style forum on the AT Protocol — the AppView appliance";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems =
        f: nixpkgs.lib.genAttrs systems (system: f (nixpkgs.legacyPackages.${system}.extend self.overlays.default));
    in
    {
      # `pkgs.atbb` built with the host's own nixpkgs (and its overlays).
      overlays.default = final: _prev: { atbb = final.callPackage ./nix/package.nix { }; };

      packages = forAllSystems (pkgs: {
        inherit (pkgs) atbb;
        default = pkgs.atbb;
        # `nix build .#image && ./result | docker load` (docs/container.md).
        image = pkgs.callPackage ./nix/image.nix { };
      });

      # The module builds the package with the system's pkgs; no second nixpkgs.
      nixosModules = rec {
        atbb = ./nix/module.nix;
        default = atbb;
      };

      checks = forAllSystems (
        pkgs:
        let
          vmTest =
            database: nginx:
            import ./nix/tests/atbb.nix {
              inherit pkgs database nginx;
              module = self.nixosModules.atbb;
            };
        in
        {
          package = pkgs.atbb;
          vm-sqlite = vmTest "sqlite" true;
          vm-postgresql = vmTest "postgresql" true;
          vm-postgresql-external = vmTest "postgresql-external" false;
        }
      );

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.nodejs_24
            pkgs.pnpm_10
            pkgs.postgresql
            pkgs.sqlite
          ];
        };
      });

      # nixfmt over the whole tree (`nix fmt`); nixfmt-rfc-style is a deprecated alias now.
      formatter = forAllSystems (pkgs: pkgs.nixfmt-tree);
    };
}
