/** Images one profile may have: its image_urls (and the list of its images) stay bounded. */
export const MAX_IMAGES_PER_PROFILE = 20;
