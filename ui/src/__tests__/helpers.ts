import { flushPromises, mount, type ComponentMountingOptions } from "@vue/test-utils";
import ElementPlus from "element-plus";
import type { Component } from "vue";
import { i18n, setLocale } from "../i18n";

/** Mounts with Element Plus and the app's i18n (zh-CN unless told otherwise). */
export function mountApp<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}) {
  setLocale("zh-CN");
  return mount(component, {
    attachTo: document.body,
    ...options,
    global: { plugins: [ElementPlus, i18n], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>);
}

/** Lets async-validator, promises and Vue updates settle. */
export async function settle(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** Polls until `check` returns true (or the timeout passes); the caller asserts afterwards. */
export async function waitUntil(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    await flushPromises();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
