// The customer the composers are writing to, shared by E-posta Oluştur, SMS Gönder and
// WhatsApp Gönder: the company chosen in one is chosen in the next, and a contact's
// "SMS" / "WhatsApp" buttons (Firmalar) set the company and the number to write to.
// Each composer reads it when it opens and writes it when its choice changes. Nothing
// here reaches the backend; it lives as long as the window.

/** The company's id (null: none chosen) and the phone number to write to (null: none). */
export interface Target {
  companyId: number | null;
  phone: string | null;
}

export class TargetStore {
  companyId = $state<number | null>(null);
  phone = $state<string | null>(null);

  /** The company as the composers' selects hold it: its id as text, "" for none. */
  get company(): string {
    return this.companyId === null ? "" : String(this.companyId);
  }

  /** The number for a composer's "to" field: "" for none. */
  get to(): string {
    return this.phone ?? "";
  }

  /** Both at once (a contact's buttons on Firmalar). */
  set(target: Target): void {
    this.companyId = target.companyId;
    this.phone = blankToNull(target.phone);
  }

  /** A select's value (an id as text, "" for none) or an id. */
  setCompany(choice: string | number | null): void {
    if (typeof choice === "number") this.companyId = choice;
    else this.companyId = choice !== null && /^\d+$/.test(choice) ? Number(choice) : null;
  }

  /** The number as typed into a composer's "to" field; "" forgets it. */
  setPhone(phone: string | null): void {
    this.phone = blankToNull(phone);
  }

  /** Another workspace: its companies are other ones. */
  clear(): void {
    this.companyId = null;
    this.phone = null;
  }
}

function blankToNull(value: string | null): string | null {
  const v = value?.trim() ?? "";
  return v === "" ? null : v;
}

/** The window's one target. */
export const target = new TargetStore();
