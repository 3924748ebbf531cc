import type { Messages } from "./index";

// Typed by Turkish's shape: a missing or extra key fails the type check.
const en: Messages = {
  app: {
    name: "Ulak",
    loading: "Loading…",
    tagline: "CRM email assistant",
  },
  lang: {
    label: "Language",
    tr: "TR",
    en: "EN",
    trName: "Turkish",
    enName: "English",
    saveFailed: "Could not save the language choice.",
  },
  nav: {
    label: "Main menu",
    groupProfile: "Profile",
    groupContact: "Contact",
    profile: "Profile",
    emailSettings: "Email Settings",
    compose: "Compose Email",
    integrations: "Integrations",
    history: "Send History",
    notifications: "Notifications",
  },
  workspace: {
    label: "Workspace",
    new: "+ New workspace",
    nameLabel: "Workspace name",
    namePlaceholder: "e.g. Istanbul Sales",
    create: "Create",
    creating: "Creating…",
    cancel: "Cancel",
    switchFailed: "Could not switch workspace.",
    loadFailed: "Could not load workspaces.",
  },
  lock: {
    title: "Ulak is locked",
    createTitle: "Choose a passphrase for your data",
    createIntro:
      "The system keyring is out of reach, so Ulak will encrypt your data with a passphrase. You will be asked for it at every start; if you forget it, the data cannot be opened.",
    unlockTitle: "Enter your passphrase",
    unlockIntro: "Your data is encrypted with a passphrase. Type it to continue.",
    passphrase: "Passphrase",
    passphraseConfirm: "Passphrase (again)",
    passphraseHelp: "At least {min} characters.",
    submitCreate: "Set passphrase and continue",
    submitUnlock: "Unlock",
    working: "Unlocking…",
    retry: "Try again",
    retrying: "Trying…",
    notAllowed: "A passphrase cannot open Ulak in this state. Fix the problem and try again.",
    dataDir: "Data folder: {path}",
    startupFailed: "Ulak could not start",
  },
  page: {
    comingSoon: "This section is not ready yet.",
    composeSoon: "Here you will write and send templated emails to your CRM contacts.",
    integrationsSoon: "Here you will connect your CRM and import your contacts.",
    historySoon: "Here you will see the emails you sent, their status and any errors.",
    notificationsSoon:
      "Here you will choose how you are notified about send results and reminders.",
  },
  profile: {
    intro: "These details are used in the emails you send.",
    workspace: "Workspace: {name}",
    displayName: "Display Name",
    displayNameHelp: "The name that identifies you in the app.",
    senderEmail: "Sender Email Address",
    senderEmailHelp: "The address recipients will see, e.g. name@company.com.",
    senderName: "Sender Name",
    senderNameHelp: "If left empty, only the address is shown.",
    required: "required",
    optional: "optional",
    save: "Save",
    saving: "Saving…",
    saved: "Saved",
    saveFailed: "Could not save.",
    fixField: "Could not save: fix the marked field.",
    loadFailed: "Could not load the profile.",
    reload: "Reload",
    updatedAt: "Last saved: {date}",
  },
  smtp: {
    intro: "Set up the accounts you send email to your customers from.",
    workspace: "Workspace: {name}",
    listTitle: "Accounts",
    listLoading: "Loading accounts…",
    loadFailed: "Could not load the accounts.",
    reload: "Reload",
    newAccount: "+ New account",
    edit: "Edit",
    remove: "Delete",
    removeConfirm: "Delete {email}? Its stored password is deleted too.",
    removeYes: "Yes, delete",
    removeNo: "Cancel",
    removing: "Deleting…",
    removeFailed: "Could not delete.",
    testButton: "Test Connection",
    sendTestButton: "Send test email",
    sendTestSending: "Sending…",
    sendTestSent: "A test email was sent to {to}. Check your inbox.",
    passwordSet: "Password: ••••••••",
    passwordMissing: "No password stored",
    trustedCa: "Company certificate authority trusted",
    formNew: "New account",
    formEdit: "Edit account: {email}",
    cancel: "Cancel",
    required: "required",
    optional: "optional",
    field: {
      email: "Sender Email Address",
      senderName: "Sender Name",
      host: "SMTP Server",
      port: "SMTP Port",
      security: "Security",
      username: "SMTP Username",
      password: "SMTP Password",
    },
    help: {
      email: "The address emails from this account are sent from, e.g. name@company.com.",
      senderName: "The name recipients see; if left empty, only the address shows.",
      host: "Your email provider's outgoing mail server, e.g. smtp.company.com.",
      port: "Usually 587 (STARTTLS) or 465 (SSL/TLS).",
      security: "The kind of encryption the server expects.",
      username: "Most often the full email address.",
      password: "The password is stored encrypted on this computer.",
      passwordEdit: "Leave empty to keep the stored password.",
    },
    security: {
      choose: "Choose…",
      starttls: "STARTTLS (usually 587)",
      tls: "SSL/TLS (usually 465)",
      none: "No encryption (this computer only)",
    },
    mode: {
      starttls: "STARTTLS",
      tls: "SSL/TLS",
      none: "No encryption",
    },
    noneWarning:
      "Careful: nothing is encrypted on this connection. Use it only for a server running on this computer.",
    passwordKept: "•••••••• (stored — type to change)",
    save: "Save",
    saving: "Saving…",
    saved: "Saved",
    saveFailed: "Could not save.",
    fixField: "Could not save: correct the marked fields.",
    missing: "SMTP settings are incomplete: {fields}",
    listSeparator: ", ",
    suggestion: {
      looking: "Looking up settings for this address…",
      none: "No ready-made settings were found for this address; get the server details from your email provider or IT department.",
      filled: "The server fields were filled in with these settings; change them if needed.",
      kept: "Fields you typed by hand were left as they are.",
      help: "Help page:",
      pick: "Pick another server:",
      server: "{port} {mode}",
    },
    source: {
      builtin: "Built-in provider list: {name}",
      autoconfig_host: "The provider's autoconfig file: {name}",
      well_known: "The domain's autoconfig file: {name}",
      ispdb: "Thunderbird provider database: {name}",
      srv: "The domain's DNS SRV record: {name}",
      mx: "The domain's MX record: {name}",
    },
    test: {
      running: "Testing…",
      title: "Connection test: {email}",
      ok: "Connection works: you can send email with this account.",
      failed: "The connection test failed.",
      failedAt: "Stopped at: {step}",
      cause: "Cause",
      fix: "What to do",
      ms: "{ms} ms",
      stepOk: "ok",
      stepFailed: "failed",
      tlsTitle: "Encryption",
      tlsProtocol: "Protocol",
      tlsSubject: "Certificate subject",
      tlsIssuer: "Issued by",
      tlsExpires: "Expires",
      saveFirst: "Save the account first to test it.",
      applyMode: {
        starttls: "Switch to STARTTLS ({port})",
        tls: "Switch to SSL/TLS ({port})",
        none: "Switch to no encryption ({port})",
      },
      applied: "Security and port were set in the form; save and test again.",
      trustCa:
        "If your company runs its own certificate authority, get the CA file from IT and trust it for this account",
      trustCaLabel: "CA file (.pem, .crt, .cer)",
      trusting: "Saving the CA file…",
      trusted: "The certificate authority was saved for this account.",
      trustFailed: "Could not save the CA file.",
      retest: "Test again",
    },
    step: {
      resolve: "Server name resolved",
      connect: "Connected",
      greeting: "Server answered",
      ehlo: "Handshake (EHLO)",
      starttls: "STARTTLS",
      tls: "TLS encryption",
      auth: "Signed in",
    },
    authFix: {
      app_password:
        "Providers like Gmail/Yahoo do not accept your normal password: turn on 2-step verification, create an App Password and enter that.",
      oauth_preferred:
        "SMTP AUTH is most likely turned off at Microsoft: connect the account with OAuth, or ask IT to turn SMTP AUTH on.",
      api_key:
        "This service uses an API key (SMTP key) as the password: create one in the service's dashboard and enter it as the SMTP Password; write the username as the service's documentation says.",
      password: "Check the username (most often the full email address) and the password.",
    },
  },
  errors: {
    store: {
      keyring_unavailable: {
        message: "The system keyring is out of reach.",
        hint: "Start the keyring service (e.g. GNOME Keyring, KWallet) and try again, or protect the data with a passphrase.",
      },
      key_missing: {
        message: "The data key is missing from the system keyring.",
        hint: "Make sure you are logged in as the user who created the data; restore the keyring and try again.",
      },
      passphrase_required: {
        message: "Your data is protected by a passphrase.",
        hint: "Enter your passphrase to continue.",
      },
      wrong_key: {
        message: "Wrong passphrase.",
        hint: "Check the passphrase and type it again; Caps Lock may be on.",
      },
      corrupt: {
        message: "The data file looks damaged.",
        hint: "Close Ulak and restore the data folder from a backup.",
      },
      meta_missing: {
        message: "The key information in the data folder is missing.",
        hint: "Restore the data folder from a complete backup.",
      },
      data_dir_not_writable: {
        message: "The data folder cannot be written to.",
        hint: "Check the folder's permissions and free disk space, then try again.",
      },
      passphrase_too_short: {
        message: "The passphrase is too short.",
        hint: "Choose a passphrase of at least {min} characters.",
      },
      not_open: {
        message: "The data store is not open.",
        hint: "Unlock first, or restart Ulak.",
      },
      io: {
        message: "A disk read or write error occurred.",
        hint: "Check that the disk has space and the data folder is reachable, then try again.",
      },
      database: {
        message: "A database error occurred.",
        hint: "Try again; if it persists, restart Ulak.",
      },
    },
    validation: {
      required: {
        message: "This field is required.",
        hint: "Please fill it in.",
      },
      email: {
        message: "Not a valid email address.",
        hint: "Write it as name@company.com, without spaces.",
      },
      too_long: {
        message: "Too long.",
        hint: "Shorten it to at most {max} characters.",
      },
      control_chars: {
        message: "Contains a line break or control character.",
        hint: "Remove line breaks and tabs; type it on one line.",
      },
      passphrase_mismatch: {
        message: "The passphrases do not match.",
        hint: "Type the same passphrase in both fields.",
      },
    },
    workspace: {
      not_found: {
        message: "Workspace not found.",
        hint: "Pick another workspace from the list.",
      },
      duplicate_name: {
        message: "A workspace with this name already exists.",
        hint: "Choose a different name.",
      },
    },
    smtp: {
      settings_incomplete: {
        message: "The SMTP settings are incomplete.",
        hint: "Fill in the marked fields and save again.",
      },
      bad_host: {
        message: "Not a valid server name.",
        hint: "Write the server name without spaces, e.g. smtp.company.com.",
      },
      bad_port: {
        message: "The port must be a number from 1 to 65535.",
        hint: "Usually 587 (STARTTLS) or 465 (SSL/TLS).",
      },
      insecure_remote: {
        message: "An unencrypted connection is allowed only to a server on this computer.",
        hint: "Choose STARTTLS (587) or SSL/TLS (465).",
      },
      duplicate_account: {
        message: "This workspace already has an account for this address.",
        hint: "Edit the account in the list instead of adding a new one.",
      },
      account_not_found: {
        message: "This email account was not found.",
        hint: "It may have been deleted; reload the page.",
      },
      ca_invalid: {
        message: "The chosen file is not a certificate (PEM) file.",
        hint: "Ask IT for the CA certificate as a PEM (Base-64) file; it starts with -----BEGIN CERTIFICATE-----.",
      },
      unknown_host: {
        message: "The server name was not found.",
        hint: "Check the SMTP Server name letter by letter; it may have a typo. Check your internet connection too.",
      },
      connection_refused: {
        message: "The server does not accept connections on this port.",
        hint: "The port may be wrong: STARTTLS usually uses 587, SSL/TLS uses 465.",
      },
      connect_failed: {
        message: "Could not connect to the server.",
        hint: "Check your internet connection and the server name, then try again.",
      },
      connect_timeout: {
        message: "Connecting to the server timed out.",
        hint: "A firewall or antivirus may be blocking this port; ask IT or try the other port (587/465).",
      },
      tls_failed: {
        message: "Could not set up an encrypted (TLS) connection.",
        hint: "Check the security setting and the port; if it persists, ask IT.",
      },
      tls_mode_mismatch: {
        message: "The security setting does not match this port.",
        hint: "Port 465 needs SSL/TLS, port 587 needs STARTTLS; change Security to suit the port.",
      },
      cert_untrusted: {
        message: "The server's certificate is not trusted.",
        hint: "If your company uses its own certificate authority, get the CA file from IT and trust it for this account.",
      },
      cert_name_mismatch: {
        message: "The certificate does not belong to this server name.",
        hint: "Write the server name exactly as your provider gives it (it may be mail.company.com rather than smtp.company.com).",
      },
      cert_expired: {
        message: "The server's certificate has expired.",
        hint: "Check your computer's date and time; if they are right, tell IT so the server's certificate gets renewed.",
      },
      starttls_unsupported: {
        message: "The server does not support STARTTLS.",
        hint: "Set Security to SSL/TLS and the port to 465, then try again.",
      },
      auth_failed: {
        message: "Sign-in refused: the username or password was not accepted.",
        hint: "Check the username (most often the full email address) and the password.",
      },
      auth_unavailable: {
        message: "The server does not allow signing in with a password.",
        hint: "Make sure you use the right server and port; if needed, ask IT to enable SMTP sign-in.",
      },
      auth_temporary: {
        message: "The server temporarily did not accept the sign-in.",
        hint: "Wait a few minutes and try again.",
      },
      tls_required: {
        message: "The server wants an encrypted connection before signing in.",
        hint: "Set Security to STARTTLS (587) or SSL/TLS (465).",
      },
      timeout: {
        message: "The server did not answer in time.",
        hint: "Try again a little later; if it persists, check your connection and the port.",
      },
      connection_closed: {
        message: "The server closed the connection unexpectedly.",
        hint: "Check that the security setting and the port are right, then try again.",
      },
      not_smtp: {
        message: "No email (SMTP) server answers at this address.",
        hint: "Check the server name and port; you need the outgoing mail server, not the incoming (IMAP/POP3) one.",
      },
      rejected: {
        message: "The server rejected the request.",
        hint: "The server's answer is shown below; if it persists, ask your email provider or IT.",
      },
    },
    send: {
      rejected: {
        message: "The server refused the message.",
        hint: "The server's reply says why; often the sender address may not be used with this account.",
      },
      deferred: {
        message: "The server cannot take the message right now.",
        hint: "Try again in a few minutes.",
      },
      network: {
        message: "The message could not be sent: no connection.",
        hint: "Use Test Connection to see which step fails.",
      },
      build_failed: {
        message: "The message could not be built.",
        hint: "Check the sender address and name of the account.",
      },
    },
    ui: {
      backend_unreachable: {
        message: "Ulak's backend could not be reached.",
        hint: "Start Ulak as the desktop app; it does not run on its own in a browser.",
      },
    },
    internal: {
      message: "An unexpected error occurred.",
      hint: "Try again; if it persists, restart Ulak.",
    },
  },
};

export default en;
