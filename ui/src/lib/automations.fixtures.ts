// The seeds' four rules as the backend makes them (ulak-crm's automations::SEEDS), for
// the unit tests (imported by *.test.ts only).

import type { Automation } from "./bindings";

/** The seeds' four as the backend makes them. */
export const SEEDS: Automation[] = [
  {
    id: 1,
    name: "Yeni fırsat → müşteriye e-posta",
    event: "deal.created",
    actions: [{ kind: "email", template: "Fırsat teşekkür", accountId: null }],
    enabled: false,
    seed: "deal-email",
    lastRuns: [],
  },
  {
    id: 2,
    name: "Teklif gönderildi → SMS ve e-posta",
    event: "quote.sent",
    actions: [
      {
        kind: "sms",
        provider: null,
        text: "Sayın {{ contact.name }}, {{ record.number }} numaralı teklifimizi e-posta ile ilettik. {{ sender.name }}",
      },
      { kind: "email", template: "Teklif", accountId: null },
    ],
    enabled: false,
    seed: "quote-sms-email",
    lastRuns: [],
  },
  {
    id: 3,
    name: "Toplantı → 1 saat önce WhatsApp hatırlatma",
    event: "meeting.scheduled",
    actions: [
      {
        kind: "whatsapp",
        provider: null,
        template: "toplanti_hatirlatma",
        language: "tr",
        params: ["{{ contact.first_name }}", "{{ record.start_time }}"],
        beforeMinutes: 60,
      },
    ],
    enabled: false,
    seed: "meeting-whatsapp",
    lastRuns: [],
  },
  {
    id: 4,
    name: "Fatura ödendi → e-posta ve tabloya satır",
    event: "invoice.paid",
    actions: [
      { kind: "email", template: "Ödeme teşekkür", accountId: null },
      { kind: "sheetRow", spreadsheet: "", sheet: null },
    ],
    enabled: false,
    seed: "invoice-email-sheet",
    lastRuns: [],
  },
];
