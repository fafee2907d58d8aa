/** `POST /volumes/create`. */
export interface VolumeCreateBody {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** `GET /volumes/{name}` (and each entry of the list). */
export interface VolumeInspect {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Record<string, string> | null;
  Scope: 'local' | 'global';
  Options: Record<string, string> | null;
  Status?: Record<string, unknown>;
  UsageData?: { Size: number; RefCount: number } | null;
  [field: string]: unknown;
}

/** `GET /volumes`. */
export interface VolumeList {
  Volumes: VolumeInspect[] | null;
  Warnings: string[] | null;
}
