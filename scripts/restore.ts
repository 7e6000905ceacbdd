// `npm run restore -- --from FILE`: a file of `npm run backup` into an empty database — a fresh DATA_DIR
// (initialised here first) or an empty DATABASE_URL database. Logic: services/runtime/src/backup/.
import { restoreCli, runCli } from "#services/backup-cli";

runCli(restoreCli);
