/**
 * @module
 * Layer versions as AWS renders them, keys in AWS's wire order: the full view (Publish, Get,
 * GetByArn) with its `Content`, and the list items of ListLayerVersions and ListLayers. The
 * optional members appear only when the version was published with them.
 */
import {
  layerArn,
  layerVersionArn,
  type ArnContext,
  type LayerVersionRecord,
} from '@lambdock/core';

export interface LayerVersionItem {
  LayerVersionArn: string;
  Version: number;
  Description: string;
  CreatedDate: string;
  CompatibleRuntimes?: string[];
  LicenseInfo?: string;
  CompatibleArchitectures?: string[];
}

export interface LayerVersionView {
  Content: { Location: string; CodeSha256: string; CodeSize: number };
  LayerArn: string;
  LayerVersionArn: string;
  Description: string;
  CreatedDate: string;
  Version: number;
  CompatibleRuntimes?: string[];
  LicenseInfo?: string;
  CompatibleArchitectures?: string[];
}

function optional(record: LayerVersionRecord): Partial<LayerVersionItem> {
  return {
    ...(record.compatibleRuntimes === undefined
      ? {}
      : { CompatibleRuntimes: [...record.compatibleRuntimes] }),
    ...(record.licenseInfo === undefined ? {} : { LicenseInfo: record.licenseInfo }),
    ...(record.compatibleArchitectures === undefined
      ? {}
      : { CompatibleArchitectures: [...record.compatibleArchitectures] }),
  };
}

export function toLayerVersionItem(record: LayerVersionRecord, ctx: ArnContext): LayerVersionItem {
  return {
    LayerVersionArn: layerVersionArn(ctx, record.layerName, record.version),
    Version: record.version,
    Description: record.description,
    CreatedDate: record.createdDate,
    ...optional(record),
  };
}

/** `location`: where the zip can be downloaded (this gateway serves it). */
export function toLayerVersion(
  record: LayerVersionRecord,
  ctx: ArnContext,
  location: string,
): LayerVersionView {
  return {
    Content: { Location: location, CodeSha256: record.codeSha256, CodeSize: record.codeSize },
    LayerArn: layerArn(ctx, record.layerName),
    LayerVersionArn: layerVersionArn(ctx, record.layerName, record.version),
    Description: record.description,
    CreatedDate: record.createdDate,
    Version: record.version,
    ...optional(record),
  };
}
