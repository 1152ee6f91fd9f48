export type AppError = { code: string; message: string; params: Record<string, string> };
