import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MediaS3Config } from '../../config.js';

/** Where media bytes live: local disk by default, or an S3-compatible bucket (MEDIA_S3_*). */
export interface MediaStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
}

const KEY = /^[a-z0-9-]+(?:\/[a-z0-9.-]+)*$/;

function checkKey(key: string): void {
  // Keys are built by the media service from ids and variant names; the check keeps "../" out regardless.
  if (!KEY.test(key) || key.includes('..')) throw new Error(`Bad media key ${key}`);
}

export class LocalDiskStorage implements MediaStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename: a reader never sees half a file.
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph…). A PUT is atomic on S3, so a
 * reader never sees half an object, as with the disk's write-then-rename.
 */
export class S3Storage implements MediaStorage {
  private readonly client: S3Client;

  constructor(private readonly config: MediaS3Config) {
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    });
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    checkKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: bytes, ContentLength: bytes.length }));
  }

  async get(key: string): Promise<Buffer | null> {
    checkKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : null;
    } catch (error) {
      // A missing object is null; a missing bucket (also a 404) is a misconfiguration and must fail loudly.
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (error instanceof NoSuchKey || e.name === 'NoSuchKey' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket')) return null;
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}

export function mediaStorage(s3: MediaS3Config | null, mediaDir: string): MediaStorage & { close?: () => void } {
  return s3 ? new S3Storage(s3) : new LocalDiskStorage(mediaDir);
}
