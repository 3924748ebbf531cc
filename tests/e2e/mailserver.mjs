// The test mail server started by scripts/test.sh (tests/servers/mailserver.sh): its
// ports and account from the environment, and what it delivered into its maildir.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const MAIL = {
  starttls: process.env.ULAK_TEST_SMTP_STARTTLS,
  tls: process.env.ULAK_TEST_SMTP_TLS,
  relay: process.env.ULAK_TEST_SMTP_RELAY,
  ca: process.env.ULAK_TEST_SMTP_CA,
  user: process.env.ULAK_TEST_SMTP_USER,
  password: process.env.ULAK_TEST_SMTP_PASSWORD,
  maildir: process.env.ULAK_TEST_SMTP_MAILDIR,
};

/** The paths of every delivered message, new and seen. */
export function deliveredPaths() {
  return ["new", "cur"].flatMap((d) => {
    try {
      return readdirSync(join(MAIL.maildir, d)).map((f) => join(MAIL.maildir, d, f));
    } catch {
      return [];
    }
  });
}
