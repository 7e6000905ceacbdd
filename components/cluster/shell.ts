/**
 * The interpreter of every `local.Command`/`local.run` of the program. pulumi-command runs commands with
 * `/bin/sh -c` on Unix and `cmd /C` on Windows (pulumi/pulumi-command v1.2.1
 * provider/pkg/provider/local/commandOutputs.go); our commands use single quotes, `>&2` and `|| true`, so they always go through
 * bash (Git Bash or WSL on Windows: the preflight checks that `bash` is on PATH).
 */
export const BASH = ["bash", "-c"];
