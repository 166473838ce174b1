import { formatBytes } from '@/lib/format';
import type { ImageUpload } from '@/lib/hooks/use-image-upload';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif';

/** The file input, the chosen file's preview, and the upload's progress. */
export function UploadForm({ upload }: { upload: ImageUpload }) {
  const { file, preview, progress } = upload;
  return (
    <form className="upload" onSubmit={upload.upload}>
      <label htmlFor="image-file">Add an image (JPEG, PNG, WebP, GIF or AVIF, up to 10 MiB)</label>
      <input id="image-file" ref={upload.input} type="file" accept={ACCEPT} onChange={upload.choose} />
      {preview && (
        <figure className="preview">
          {/* biome-ignore lint/performance/noImgElement: a local object URL, not an optimisable asset */}
          <img src={preview} alt="Preview of the chosen file" />
          <figcaption>
            {file?.name} · {file && formatBytes(file.size)}
          </figcaption>
        </figure>
      )}
      {progress !== undefined && (
        <div className="progress">
          <label htmlFor="upload-progress">Uploading… {Math.round(progress * 100)}%</label>
          <progress id="upload-progress" value={progress} max={1} />
        </div>
      )}
      <button type="submit" className="primary" disabled={!file || progress !== undefined}>
        Upload
      </button>
    </form>
  );
}
