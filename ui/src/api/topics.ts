import { call } from "./invoke";
import type { TopicInput } from "../bindings/TopicInput";

export { topicsList } from "./people";
/** Adds (id null) or edits a topic of the library: name, audiences, flyer tips. */
export const topicsSave = (input: TopicInput) => call("topics_save", { input });
