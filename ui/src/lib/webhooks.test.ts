import { describe, expect, it } from "vitest";
import type { Endpoint, ErrorCode, ErrorPayload } from "./bindings";
import { describeError } from "./i18n";
import {
  DEFAULT_EVENTS,
  addErrorField,
  checkUrl,
  deliveryStateName,
  endpointState,
  endpointStatusText,
  eventName,
  eventsLabel,
  eventsOf,
  isDeliveryPending,
  isPrivateIp,
  parseIpv6,
  previousSigns,
  testSettled,
  toEndpointInput,
} from "./webhooks";

function endpoint(over: Partial<Endpoint> = {}): Endpoint {
  return {
    id: 1,
    url: "https://hooks.example.com/ulak",
    events: ["message.failed"],
    allowPrivate: false,
    previousUntil: null,
    failingSince: null,
    lastStatus: null,
    lastError: null,
    lastDeliveryAt: null,
    createdAt: "2026-12-07T09:00:00.000Z",
    ...over,
  };
}

describe("checkUrl", () => {
  it("takes https anywhere public, with a port, path and query", () => {
    expect(checkUrl("https://hooks.example.com/ulak?k=1", false)).toBeNull();
    expect(checkUrl("  https://crm.firma.com.tr:8443/ulak-webhook  ", false)).toBeNull();
    expect(checkUrl("https://93.184.216.34/hook", false)).toBeNull();
    expect(checkUrl("https://[2606:4700:4700::1111]/hook", false)).toBeNull();
  });

  it("wants something written", () => {
    expect(checkUrl("", false)).toEqual({ code: "validation.required" });
    expect(checkUrl("   ", true)).toEqual({ code: "validation.required" });
  });

  it("refuses what is not a web address with a host, or has credentials or a fragment", () => {
    for (const bad of [
      "hooks.example.com",
      "ftp://x.com",
      "mailto:a@b.com",
      "https://u:p@x.com/",
      "https://u@x.com/",
      "https://x.com/#a",
      "https://x.com/#",
      "https://exa mple.com/",
      "https://x.com:99999/",
      "file:///etc/passwd",
    ]) {
      expect(checkUrl(bad, true), bad).toEqual({ code: "validation.url" });
    }
  });

  it("takes plain http only to this computer", () => {
    expect(checkUrl("http://hooks.example.com/", false)).toEqual({ code: "webhook.insecure" });
    expect(checkUrl("http://10.0.0.5/", true)).toEqual({ code: "webhook.insecure" });
    expect(checkUrl("http://127.0.0.1:9000/hook", true)).toBeNull();
    expect(checkUrl("http://127.8.9.10/hook", true)).toBeNull();
    expect(checkUrl("http://localhost:9000/hook", true)).toBeNull();
    expect(checkUrl("http://LOCALHOST:9000/hook", true)).toBeNull();
    expect(checkUrl("http://[::1]:9000/hook", true)).toBeNull();
  });

  it("refuses a private or local address unless allowed, naming it", () => {
    expect(checkUrl("https://10.0.0.5/hook", false)).toEqual({
      code: "webhook.private_address",
      detail: "10.0.0.5",
    });
    expect(checkUrl("https://10.0.0.5/hook", true)).toBeNull();
    expect(checkUrl("http://localhost:9000/hook", false)).toEqual({
      code: "webhook.private_address",
      detail: "localhost",
    });
    expect(checkUrl("http://127.0.0.1:9000/hook", false)).toEqual({
      code: "webhook.private_address",
      detail: "127.0.0.1",
    });
    expect(checkUrl("http://[::1]/hook", false)).toEqual({
      code: "webhook.private_address",
      detail: "::1",
    });
    for (const host of [
      "192.168.1.10",
      "172.16.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "[fd00::1]",
      "[fe80::1]",
    ]) {
      expect(checkUrl(`https://${host}/x`, false)?.code, host).toBe("webhook.private_address");
      expect(checkUrl(`https://${host}/x`, true), host).toBeNull();
    }
    // The browser writes addresses its own way; they are still what they are.
    expect(checkUrl("https://0x0a000001/", false)?.detail).toBe("10.0.0.1");
    expect(checkUrl("https://[::ffff:10.0.0.1]/", false)?.code).toBe("webhook.private_address");
    // A name is looked up when delivering, not here.
    expect(checkUrl("https://intranet.local/hook", false)).toBeNull();
  });

  it("has words for each of its answers, the address named", () => {
    const words = describeError("tr", checkUrl("https://10.0.0.5/", false)!);
    expect(words.message).toBe("Bu adres yerel ağda: 10.0.0.5");
    expect(describeError("en", checkUrl("http://x.com/", false)!).message).toContain("http://");
    expect(describeError("tr", checkUrl("x", false)!).message).toBe(
      "Geçerli bir web adresi değil.",
    );
  });
});

describe("private addresses", () => {
  it("knows the private and local ones, as the backend does", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.10",
      "169.254.169.254",
      "100.64.0.1",
      "100.127.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "192.0.2.1",
      "::1",
      "::",
      "fd00::1",
      "fc00::1",
      "fe80::1",
      "ff02::1",
      "2001:db8::1",
      "::ffff:10.0.0.1",
      "::ffff:127.0.0.1",
      "::ffff:a00:1",
    ]) {
      expect(isPrivateIp(ip), ip).toBe(true);
    }
    for (const ip of [
      "93.184.216.34",
      "1.1.1.1",
      "172.32.0.1",
      "100.128.0.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
      "hooks.example.com",
    ]) {
      expect(isPrivateIp(ip), ip).toBe(false);
    }
  });

  it("reads IPv6 in its written forms", () => {
    expect(parseIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("fe80::1:2")).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6("::ffff:10.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 1]);
    expect(parseIpv6("1:2:3")).toBeNull();
    expect(parseIpv6("1::2::3")).toBeNull();
    expect(parseIpv6("10.0.0.1")).toBeNull();
  });
});

describe("events", () => {
  it("are failures only at first; all stands alone; none is none", () => {
    expect(eventsOf(DEFAULT_EVENTS)).toEqual(["message.failed"]);
    expect(eventsOf({ sent: true, failed: true, all: false })).toEqual([
      "message.sent",
      "message.failed",
    ]);
    expect(eventsOf({ sent: true, failed: false, all: true })).toEqual(["*"]);
    expect(eventsOf({ sent: false, failed: false, all: false })).toEqual([]);
    expect(toEndpointInput(" https://x.com/h ", DEFAULT_EVENTS, true)).toEqual({
      url: "https://x.com/h",
      events: ["message.failed"],
      allowPrivate: true,
    });
  });

  it("are said in words, in both languages", () => {
    expect(eventsLabel(["*"], "tr")).toBe("Tüm olaylar");
    expect(eventsLabel(["message.sent", "message.failed"], "tr")).toBe(
      "İleti gönderildi, İleti gönderilemedi",
    );
    expect(eventsLabel(["message.failed"], "en")).toBe("Message failed");
    expect(eventName("webhook.test", "tr")).toBe("Test olayı");
    expect(eventName("deal.won", "tr")).toBe("deal.won");
  });
});

describe("an endpoint's status", () => {
  it("is new until something was delivered", () => {
    expect(endpointState(endpoint())).toBe("new");
    expect(endpointStatusText(endpoint(), "tr")).toBe("Henüz teslim yok");
  });

  it("works after a 2xx answer", () => {
    const e = endpoint({ lastStatus: 200, lastDeliveryAt: "2026-12-07T10:00:00.000Z" });
    expect(endpointState(e)).toBe("ok");
    expect(endpointStatusText(e, "tr")).toBe("Çalışıyor · son yanıt 200");
    expect(endpointStatusText(e, "en")).toBe("Working · last answer 200");
  });

  it("is in error after a failed delivery still retried, with the receiver's words", () => {
    const e = endpoint({
      lastStatus: 500,
      lastError: "HTTP 500: boom",
      lastDeliveryAt: "2026-12-07T10:00:00.000Z",
    });
    expect(endpointState(e)).toBe("error");
    expect(endpointStatusText(e, "tr")).toBe("Son teslim başarısız: HTTP 500: boom");
    const silent = endpoint({ lastStatus: 404, lastDeliveryAt: "2026-12-07T10:00:00.000Z" });
    expect(endpointStatusText(silent, "en")).toBe("Last delivery failed: HTTP 404");
    const noAnswer = endpoint({ lastDeliveryAt: "2026-12-07T10:00:00.000Z" });
    expect(endpointStatusText(noAnswer, "en")).toBe("Last delivery failed");
  });

  it("is failing once deliveries were given up, since when (local time)", () => {
    const e = endpoint({
      failingSince: "2026-12-07T10:00:00.000Z",
      lastStatus: 500,
      lastError: "HTTP 500",
      lastDeliveryAt: "2026-12-07T10:00:00.000Z",
    });
    expect(endpointState(e)).toBe("failing");
    const text = endpointStatusText(e, "tr");
    expect(text).toMatch(
      /^Yanıt vermiyor — \d\d\.12\.2026 \d\d:\d\d tarihinden beri; Ulak bir gün boyunca denedi$/,
    );
  });

  it("says the previous secret signs only while it does", () => {
    const now = new Date("2026-12-07T10:00:00.000Z");
    expect(previousSigns(endpoint(), now)).toBeNull();
    expect(previousSigns(endpoint({ previousUntil: "2026-12-08T09:00:00.000Z" }), now)).toBe(
      "2026-12-08T09:00:00.000Z",
    );
    expect(previousSigns(endpoint({ previousUntil: "2026-12-07T09:00:00.000Z" }), now)).toBeNull();
  });
});

describe("errors from adding", () => {
  const err = (code: ErrorCode, field: string | null = null): ErrorPayload => ({
    code,
    message: code,
    hint: null,
    field,
  });

  it("go beside the field they name", () => {
    expect(addErrorField(err("webhook.private_address", "url"))).toBe("url");
    expect(addErrorField(err("webhook.insecure"))).toBe("url");
    expect(addErrorField(err("webhook.events", "events"))).toBe("events");
    expect(addErrorField(err("store.not_open"))).toBeNull();
  });
});

describe("deliveries", () => {
  it("have their states in words", () => {
    expect(deliveryStateName("queued", "tr")).toBe("Kuyrukta");
    expect(deliveryStateName("sending", "tr")).toBe("Gönderiliyor");
    expect(deliveryStateName("sent", "tr")).toBe("Teslim edildi");
    expect(deliveryStateName("retry", "tr")).toBe("Yeniden denenecek");
    expect(deliveryStateName("failed", "tr")).toBe("Vazgeçildi");
    expect(deliveryStateName("sent", "en")).toBe("Delivered");
    expect(deliveryStateName("odd", "en")).toBe("odd");
  });

  it("settle a test once its delivery is listed and nothing waits", () => {
    expect(isDeliveryPending("queued")).toBe(true);
    expect(isDeliveryPending("sent")).toBe(false);
    expect(testSettled([], 5)).toBe(false);
    expect(testSettled([{ id: 5, state: "sending" }], 5)).toBe(false);
    expect(testSettled([{ id: 4, state: "sent" }], 5)).toBe(false);
    expect(testSettled([{ id: 5, state: "sent" }, { id: 4, state: "retry" }], 5)).toBe(false);
    expect(testSettled([{ id: 5, state: "failed" }, { id: 4, state: "sent" }], 5)).toBe(true);
  });
});
