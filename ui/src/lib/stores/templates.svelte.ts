// The workspace's e-mail templates: the list the composer offers, saving the draft as
// one and deleting one.

import { call, commands, type CmdResult } from "../api";
import type { ErrorPayload, Language, Template, TemplateInput } from "../bindings";
import { upsertById } from "../companies";
import { sortTemplates } from "../compose";

export class TemplatesStore {
  items = $state<Template[]>([]);
  /** True until the list has been read; again while it is read. */
  loading = $state(true);
  error = $state<ErrorPayload | null>(null);

  async load(): Promise<CmdResult<Template[]>> {
    this.loading = true;
    this.error = null;
    const res = await call(() => commands.listTemplates());
    this.loading = false;
    if (res.status === "ok") this.items = res.data;
    else this.error = res.error;
    return res;
  }

  /**
   * Creates (`id` null) or updates a template; the list takes the stored one and stays
   * sorted by name in `lang`.
   */
  async save(
    id: number | null,
    input: TemplateInput,
    lang: Language,
  ): Promise<CmdResult<Template>> {
    const res = await call(() =>
      id === null ? commands.createTemplate(input) : commands.updateTemplate(id, input),
    );
    if (res.status === "ok") this.items = sortTemplates(upsertById(this.items, res.data), lang);
    return res;
  }

  /** Deletes a template; gone from the list once deleted, or found already gone. */
  async remove(id: number): Promise<CmdResult<null>> {
    const res = await call(() => commands.deleteTemplate(id));
    if (res.status === "ok" || res.error.code === "template.not_found") {
      this.items = this.items.filter((x) => x.id !== id);
    }
    return res;
  }
}
