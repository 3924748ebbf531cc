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
    emailSettingsSoon:
      "Here you will set up the SMTP server, connection security and signature used for sending.",
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
