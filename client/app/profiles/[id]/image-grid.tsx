import type { Image } from '@/lib/api';
import { formatBytes } from '@/lib/format';

/** The thumbnails (512-wide in the srcset), each opening its original; deletable, given `onDelete`. */
export function ImageGrid({
  images,
  onDelete,
}: {
  images: Image[];
  onDelete?: ((image: Image) => void) | undefined;
}) {
  return (
    <ul className="gallery">
      {images.map((img, i) => (
        <li key={img.id}>
          <a href={img.variants.original} target="_blank" rel="noreferrer">
            {/* biome-ignore lint/performance/noImgElement: media are served immutable by the API or its CDN, already sized */}
            <img
              src={img.variants.thumbnail}
              srcSet={`${img.variants.thumbnail} 128w, ${img.variants.medium} 512w`}
              sizes="128px"
              alt={`Upload ${i + 1} of ${images.length}, ${img.width}×${img.height}`}
              width={128}
              height={128}
              loading="lazy"
            />
          </a>
          <span className="muted small">
            {img.width}×{img.height} · {formatBytes(img.bytes)}
          </span>
          {onDelete && (
            <button type="button" className="link danger" onClick={() => onDelete(img)}>
              Delete<span className="visually-hidden"> image {i + 1}</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
