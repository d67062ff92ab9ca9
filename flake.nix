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
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        atbb = pkgs.callPackage ./nix/package.nix { };
        default = atbb;
      });

      nixosModules = rec {
        atbb =
          { lib, pkgs, ... }:
          {
            imports = [ ./nix/module.nix ];
            services.atbb.package = lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.atbb;
          };
        default = atbb;
      };

      checks = forAllSystems (
        pkgs:
        let
          module = self.nixosModules.atbb;
        in
        {
          package = self.packages.${pkgs.stdenv.hostPlatform.system}.atbb;
          sqlite = import ./nix/tests/sqlite.nix { inherit pkgs module; };
          postgresql = import ./nix/tests/postgresql.nix { inherit pkgs module; };
          postgresql-external = import ./nix/tests/postgresql-external.nix { inherit pkgs module; };
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

      formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
