export interface AppInfo {
  name: string;
  version: string;
}

export interface Backend {
  appInfo(): Promise<AppInfo>;
}
