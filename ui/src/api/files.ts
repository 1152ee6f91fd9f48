import { call } from "./invoke";

/** Opens a file this window just saved with the desktop's program for it. */
export const fileOpen = (path: string) => call("file_open", { path });
/** Shows the folder of a file this window just saved. */
export const folderOpen = (path: string) => call("folder_open", { path });
