/** Where links in response bodies point: the API base the client used, and github.com for html links. */
export interface Urls {
  readonly api: string;
  readonly html: string;
}

export const DEFAULT_URLS: Urls = { api: "https://api.github.com", html: "https://github.com" };
