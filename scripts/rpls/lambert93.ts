import proj4 from 'proj4';
import type { BuildingDocument } from '../../subgraphs/housing/model';

export type GeoPoint = NonNullable<BuildingDocument['location']>;

/** EPSG:2154 (RGF93 / Lambert-93), the projection of RPLS X and Y in metropolitan France. */
const LAMBERT_93 =
  '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';

/** The projected bounds of EPSG:2154, slightly rounded out: beyond them a point is not Lambert-93 (or not in France). */
const EXTENT = { minX: -380_000, maxX: 1_330_000, minY: 6_000_000, maxY: 7_240_000 };

const toWgs84 = proj4(LAMBERT_93, 'WGS84');

/** WGS84 latitude and longitude of a Lambert-93 point in metres; null outside the projection's extent. */
export function lambert93ToWgs84(x: number, y: number): GeoPoint | null {
  if (x < EXTENT.minX || x > EXTENT.maxX || y < EXTENT.minY || y > EXTENT.maxY) return null;
  const [longitude, latitude] = toWgs84.forward<[number, number]>([x, y]);
  return { latitude, longitude };
}
