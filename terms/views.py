"""Manage > Archive: what a course's archive will hold, building it in the background,
its progress, and the zip to download (instructors of the course and staff)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from blog.extensions import page_parts
from blog.shortcuts import managed_course_or_403
from config.hooks import MANAGE_TABS
from terms import tasks
from terms.archive import can_be_archived, contents_of, has_public_archive
from terms.forms import ArchiveForm
from terms.models import ArchiveRun


def _context(request, course, **extra):
    return {"course": course, "manage_tab": "archive", **page_parts(request, course, MANAGE_TABS),
            **extra}  # fmt: skip


@login_required
def archive_start(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = ArchiveForm(request.POST or None, course=course)
    if request.method == "POST" and not can_be_archived(course):
        messages.error(request, "Only a closed course is archived: close it first.")
    elif request.method == "POST" and form.is_valid():
        run = ArchiveRun.objects.create(course=course, started_by=request.user,
                                        members=form.cleaned_data["kind"] == "members")  # fmt: skip
        transaction.on_commit(partial(tasks.build_archive.enqueue, run_id=run.pk))
        return redirect("terms:archive_detail", course_slug=course.slug, run_id=run.pk)
    context = _context(
        request, course, form=form, archivable=can_be_archived(course),
        public=contents_of(course, members=False) if has_public_archive(course) else None,
        members=contents_of(course, members=True),
        runs=course.archive_runs.select_related("started_by")[:10],
    )  # fmt: skip
    return render(request, "terms/archive_start.html", context)


@login_required
def archive_detail(request, course_slug, run_id):
    course = managed_course_or_403(request, course_slug)
    run = get_object_or_404(ArchiveRun, course=course, pk=run_id)
    done, total = tasks.progress_of(run)
    return render(request, "terms/archive_detail.html",
                  _context(request, course, run=run, done=done, total=total))  # fmt: skip


def _download(request, course_slug, run_id, field, name, content_type):
    course = managed_course_or_403(request, course_slug)
    run = get_object_or_404(ArchiveRun, course=course, pk=run_id, status=ArchiveRun.Status.DONE)
    stored = getattr(run, field)
    if not stored:
        raise Http404("This archive's file is gone.")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=getattr(run, name),
                        content_type=content_type)  # fmt: skip


@login_required
def archive_download(request, course_slug, run_id):
    return _download(request, course_slug, run_id, "file", "download_name", "application/zip")


@login_required
def archive_download_wacz(request, course_slug, run_id):
    """The same archive as a WACZ web archive, for a library to keep and replay."""
    return _download(request, course_slug, run_id, "wacz", "wacz_name", "application/wacz")
