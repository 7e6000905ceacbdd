// `npm run backup -- --out FILE`: a consistent, compressed logical backup of the database `npm start`
// uses (DATABASE_URL, else the embedded one in DATA_DIR — also while `npm start` runs). Format and
// logic: services/runtime/src/backup/.
import { backupCli, runCli } from "#services/backup-cli";

runCli(backupCli);
